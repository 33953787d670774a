package dev.jawait.vertx.internal;

import dev.jawait.export.Arguments;
import dev.jawait.export.ModuleDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code _jawait_vertx}: what {@code jawait.vertx} (Python) asks Java. Bodies and headers arrive in
 * their natural Java form and are checked here; a body or headers that cannot travel come back as
 * the error message (a str) for Python to raise as TypeError, so that every failure reaches Python
 * code as a plain Python exception. Vert.x's own work is handed to a Vert.x context, in order
 * ({@link ContextHandoff}): the Python thread never runs it, nor waits for it.
 */
public final class EventBusModule {
    private EventBusModule() {}

    /** The failure code of a message whose handler failed (Python's jawait.vertx.HANDLER_FAILED). */
    private static final int HANDLER_FAILED = 500;

    /** One definition, so that registering it again (by a verticle, by discovery) is harmless. */
    public static final ModuleDefinition MODULE = ModuleDefinition.builder("_jawait_vertx")
            .doc("The Java half of jawait.vertx: the Vert.x event bus.")
            .function(
                    "endpoint",
                    f -> f.param("vertx", Vertx.class)
                            .doc("The event bus of a Vert.x instance, for jawait.vertx.EventBus.")
                            .body(args -> new BusEndpoint((Vertx) args.get("vertx"), null)))
            .function(
                    "send",
                    f -> f.param("endpoint", BusEndpoint.class)
                            .param("address", String.class)
                            .param("body", Object.class)
                            .param("headers", Object.class)
                            .doc("Sends a message to one consumer; None, or what is wrong with the body or headers.")
                            .body(args -> send(args, false)))
            .function(
                    "publish",
                    f -> f.param("endpoint", BusEndpoint.class)
                            .param("address", String.class)
                            .param("body", Object.class)
                            .param("headers", Object.class)
                            .doc(
                                    "Publishes a message to every consumer; None, or what is wrong with the body or headers.")
                            .body(args -> send(args, true)))
            .asyncFunction(
                    "request",
                    f -> f.param("endpoint", BusEndpoint.class)
                            .param("address", String.class)
                            .param("body", Object.class)
                            .param("headers", Object.class)
                            .param("timeout", double.class)
                            .doc(
                                    "Sends a message and awaits its reply: [body, headers, None, delivery or None, packed], "
                                            + "or [None, None, failure, None, False] where failure is what is wrong with the body or "
                                            + "headers (a str), or [type, code, message]; packed: the body is marshal data.")
                            .body(EventBusModule::request))
            .function(
                    "inbox",
                    f -> f.param("endpoint", BusEndpoint.class)
                            .doc("Where the requests of one EventBus on one event loop go and their replies come from.")
                            .body(args -> ((BusEndpoint) args.get("endpoint")).inbox()))
            .function(
                    "request_all",
                    f -> f.param("inbox", ReplyInbox.class)
                            .param("requests", byte[].class)
                            .doc(
                                    "Starts the requests of marshal.dumps([id, address, marshal.dumps((body, headers), 2), "
                                            + "timeout, ...], 2); each gets one entry in the inbox's replies.")
                            .body(args -> {
                                ((ReplyInbox) args.get("inbox")).send((byte[]) args.get("requests"));
                                return null;
                            }))
            .function(
                    "close_inbox",
                    f -> f.param("inbox", ReplyInbox.class)
                            .doc(
                                    "Ends the replies of an inbox whose EventBus is gone, after those already handed over.")
                            .body(args -> {
                                ((ReplyInbox) args.get("inbox")).close();
                                return null;
                            }))
            .streamFunction(
                    "replies",
                    f -> f.param("inbox", ReplyInbox.class)
                            .doc("The replies of an inbox in batches: [marshal.dumps([(id, body, headers, failure, "
                                    + "expects reply), ...]), delivery]; failure: None, what is wrong with the request "
                                    + "(a str), False when its body is not JSON data (send it with request), or [type, "
                                    + "code, message]; a body that is not JSON data is Ellipsis (see unpacked).")
                            .prefetch(1) // a batch at a time: what arrives meanwhile crosses as the next one
                            .body(args -> args.get("inbox")))
            .asyncFunction(
                    "reply_and_request",
                    f -> f.param("target", Delivery.class)
                            .param("index", int.class)
                            .param("body", Object.class)
                            .param("headers", Object.class)
                            .param("timeout", double.class)
                            .doc(
                                    "Replies to message index of a delivery and awaits the answer to the reply, as request "
                                            + "does.")
                            .body(EventBusModule::replyAndRequest))
            .asyncFunction(
                    "consume",
                    f -> f.param("endpoint", BusEndpoint.class)
                            .param("address", String.class)
                            .param("local", boolean.class)
                            .param("max_buffered", int.class)
                            .doc("Registers a consumer; completes with its feed once Vert.x confirms.")
                            .body(args -> ((BusEndpoint) args.get("endpoint"))
                                    .consume(
                                            args.getString("address"),
                                            args.getBoolean("local"),
                                            args.getInt("max_buffered"))))
            .streamFunction(
                    "messages",
                    f -> f.param("feed", MessageFeed.class)
                            .doc("The messages of a consumer's feed in batches: [marshal.dumps([(body, headers, "
                                    + "expects reply), ...]), delivery]; a body that is not JSON data is Ellipsis (see "
                                    + "unpacked).")
                            .prefetch(1) // a batch at a time: what arrives meanwhile crosses as the next one
                            .body(args -> args.get("feed")))
            .function(
                    "unpacked",
                    f -> f.param("delivery", Delivery.class)
                            .param("index", int.class)
                            .doc("[body, headers] of message index of a delivery, converted object by object.")
                            .body(args -> {
                                Delivery delivery = (Delivery) args.get("delivery");
                                int index = args.getInt("index");
                                return new Object[] {delivery.body(index), delivery.headers(index)};
                            }))
            .asyncFunction(
                    "unregister",
                    f -> f.param("feed", MessageFeed.class)
                            .doc(
                                    "Unregisters a consumer: fails back what waits, ends its messages, completes once Vert.x "
                                            + "confirms.")
                            .body(args -> ((MessageFeed) args.get("feed")).unregister()))
            .function(
                    "reply",
                    f -> f.param("target", Delivery.class)
                            .param("index", int.class)
                            .param("body", Object.class)
                            .param("headers", Object.class)
                            .doc(
                                    "Replies to message index of a delivery; None, or what is wrong with the body or headers.")
                            .body(EventBusModule::reply))
            .function(
                    "reply_all",
                    f -> f.param("replies", List.class)
                            .doc(
                                    "Replies to many messages: [delivery, index, body, delivery, index, body, ...]. A body that "
                                            + "cannot travel fails its message (code 500); returns what was wrong with each, or None.")
                            .body(args -> replyAll((List<?>) args.get("replies"))))
            .function(
                    "reply_packed",
                    f -> f.param("targets", Object.class)
                            .param("replies", byte[].class)
                            .doc("Replies to messages of the deliveries in targets (a list, or the one delivery "
                                    + "itself, which crosses cheaper): marshal.dumps([None, index, body, index, body, "
                                    + "None, index, body, ...], 2), each None moving on to the next target; False, "
                                    + "replying to none, when a body is not JSON data (reply_all then says which).")
                            .body(args -> replyPacked(args.get("targets"), (byte[]) args.get("replies"))))
            .function(
                    "fail",
                    f -> f.param("target", Delivery.class)
                            .param("index", int.class)
                            .param("code", int.class)
                            .param("text", String.class)
                            .doc("Fails message index of a delivery back to its sender with a code and a text.")
                            .body(args -> {
                                ((Delivery) args.get("target"))
                                        .fail(args.getInt("index"), args.getInt("code"), args.getString("text"));
                                return null;
                            }))
            .build();

    private static String send(Arguments args, boolean publish) {
        BusEndpoint endpoint = (BusEndpoint) args.get("endpoint");
        String address = args.getString("address");
        Object body;
        try {
            body = Bodies.encode(args.get("body"));
        } catch (Bodies.Refused e) {
            return e.message(publish ? "publish" : "send", "to '" + address + "'");
        }
        DeliveryOptions options;
        try {
            options = Bodies.options(args.get("headers"), 0, address);
        } catch (Bodies.BadHeaders e) {
            return e.getMessage();
        }
        endpoint.send(address, body, options, publish);
        return null;
    }

    private static Future<Object[]> request(Arguments args) {
        BusEndpoint endpoint = (BusEndpoint) args.get("endpoint");
        String address = args.getString("address");
        Object body;
        DeliveryOptions options;
        try {
            body = Bodies.encode(args.get("body"));
            options = Bodies.options(args.get("headers"), timeoutMillis(args.getDouble("timeout")), address);
        } catch (Bodies.Refused e) {
            return refused(e.message("send", "to '" + address + "'"));
        } catch (Bodies.BadHeaders e) {
            return refused(e.getMessage());
        }
        return endpoint.request(address, body, options);
    }

    private static Future<Object[]> replyAndRequest(Arguments args) {
        Delivery target = (Delivery) args.get("target");
        int index = args.getInt("index");
        Object body;
        DeliveryOptions options;
        try {
            body = Bodies.encode(args.get("body"));
            options = Bodies.options(
                    args.get("headers"), timeoutMillis(args.getDouble("timeout")), target.address(index));
        } catch (Bodies.Refused e) {
            return refused(e.message("reply with", "to a message on '" + target.address(index) + "'"));
        } catch (Bodies.BadHeaders e) {
            return refused(e.getMessage());
        }
        return target.replyAndRequest(index, body, options);
    }

    private static Future<Object[]> refused(String message) {
        return Future.succeededFuture(new Object[] {null, null, message, null, false});
    }

    /** Seconds as whole milliseconds, at least one (Python checked that it is positive). */
    static long timeoutMillis(double seconds) {
        return Math.max(1, (long) Math.ceil(seconds * 1000));
    }

    private static String reply(Arguments args) {
        Delivery target = (Delivery) args.get("target");
        int index = args.getInt("index");
        Object body;
        DeliveryOptions options;
        try {
            body = Bodies.encode(args.get("body"));
            options = Bodies.options(args.get("headers"), 0, target.address(index));
        } catch (Bodies.Refused e) {
            return e.message("reply with", "to a message on '" + target.address(index) + "'");
        } catch (Bodies.BadHeaders e) {
            return e.getMessage();
        }
        target.reply(index, body, options);
        return null;
    }

    private static boolean replyPacked(Object targets, byte[] packed) {
        MarshalledBodies.Replies replies;
        try {
            replies = MarshalledBodies.checkReplies(packed);
        } catch (MarshalledBodies.NotJson e) {
            return false;
        }
        List<Delivery> deliveries = new ArrayList<>();
        if (targets instanceof Delivery delivery) {
            deliveries.add(delivery);
        } else {
            for (Object target : (List<?>) targets) {
                deliveries.add((Delivery) target);
            }
        }
        for (int target : replies.targets()) {
            if (target >= deliveries.size()) {
                throw new IllegalArgumentException(
                        "reply_packed: " + deliveries.size() + " targets, and replies to more");
            }
        }
        Delivery.replyAll(deliveries, replies.targets(), replies.indexes(), replies::body);
        return true;
    }

    private static List<String> replyAll(List<?> replies) {
        List<String> problems = null;
        List<Delivery> deliveries = new ArrayList<>(replies.size() / 3);
        List<Integer> indexes = new ArrayList<>(replies.size() / 3);
        List<Object> bodies = new ArrayList<>(replies.size() / 3);
        for (int i = 0; i + 2 < replies.size(); i += 3) {
            Delivery target = (Delivery) replies.get(i);
            int index = ((Number) replies.get(i + 1)).intValue();
            try {
                bodies.add(Bodies.encode(replies.get(i + 2)));
                deliveries.add(target);
                indexes.add(index);
            } catch (Bodies.Refused e) {
                String problem = e.message("reply with", "to a message on '" + target.address(index) + "'");
                replyInOrder(deliveries, indexes, bodies); // the answers before it leave first, in order
                target.fail(index, HANDLER_FAILED, "TypeError: " + problem);
                problems = problems == null ? new ArrayList<>() : problems;
                problems.add(problem);
            }
        }
        replyInOrder(deliveries, indexes, bodies);
        return problems;
    }

    /** Hands over the replies gathered so far, and empties the lists. */
    private static void replyInOrder(List<Delivery> deliveries, List<Integer> indexes, List<Object> bodies) {
        Object[] encoded = bodies.toArray();
        Delivery.replyAll(
                deliveries,
                IntStream.range(0, deliveries.size()).toArray(),
                indexes.stream().mapToInt(Integer::intValue).toArray(),
                i -> encoded[i]);
        deliveries.clear();
        indexes.clear();
        bodies.clear();
    }
}
