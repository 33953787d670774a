package dev.jawait.vertx.internal;

import dev.jawait.export.Arguments;
import dev.jawait.export.ModuleDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;

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
                                    "Sends a message and awaits its reply: [body, headers, None, reply target or None], or "
                                            + "[None, None, failure, None] where failure is what is wrong with the body or headers (a str), "
                                            + "or [type, code, message].")
                            .body(EventBusModule::request))
            .asyncFunction(
                    "reply_and_request",
                    f -> f.param("target", ReplyTarget.class)
                            .param("body", Object.class)
                            .param("headers", Object.class)
                            .param("timeout", double.class)
                            .doc("Replies to a message and awaits the answer to the reply, as request does.")
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
                            .doc("The messages of a consumer's feed, as [body, headers, reply target or None].")
                            .body(args -> args.get("feed")))
            .asyncFunction(
                    "unregister",
                    f -> f.param("feed", MessageFeed.class)
                            .doc(
                                    "Unregisters a consumer: fails back what waits, ends its messages, completes once Vert.x "
                                            + "confirms.")
                            .body(args -> ((MessageFeed) args.get("feed")).unregister()))
            .function(
                    "reply",
                    f -> f.param("target", ReplyTarget.class)
                            .param("body", Object.class)
                            .param("headers", Object.class)
                            .doc("Replies to a message; None, or what is wrong with the body or headers.")
                            .body(EventBusModule::reply))
            .function(
                    "reply_all",
                    f -> f.param("replies", List.class)
                            .doc(
                                    "Replies to many messages: [target, body, target, body, ...]. A body that cannot travel fails "
                                            + "its message (code 500); returns what was wrong with each, or None.")
                            .body(args -> replyAll((List<?>) args.get("replies"))))
            .function(
                    "fail",
                    f -> f.param("target", ReplyTarget.class)
                            .param("code", int.class)
                            .param("text", String.class)
                            .doc("Fails a message back to its sender with a code and a text.")
                            .body(args -> {
                                ((ReplyTarget) args.get("target")).fail(args.getInt("code"), args.getString("text"));
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
        ReplyTarget target = (ReplyTarget) args.get("target");
        Object body;
        DeliveryOptions options;
        try {
            body = Bodies.encode(args.get("body"));
            options = Bodies.options(args.get("headers"), timeoutMillis(args.getDouble("timeout")), target.address());
        } catch (Bodies.Refused e) {
            return refused(e.message("reply with", "to a message on '" + target.address() + "'"));
        } catch (Bodies.BadHeaders e) {
            return refused(e.getMessage());
        }
        return target.replyAndRequest(body, options);
    }

    private static Future<Object[]> refused(String message) {
        return Future.succeededFuture(new Object[] {null, null, message, null});
    }

    /** Seconds as whole milliseconds, at least one (Python checked that it is positive). */
    private static long timeoutMillis(double seconds) {
        return Math.max(1, (long) Math.ceil(seconds * 1000));
    }

    private static String reply(Arguments args) {
        ReplyTarget target = (ReplyTarget) args.get("target");
        Object body;
        DeliveryOptions options;
        try {
            body = Bodies.encode(args.get("body"));
            options = Bodies.options(args.get("headers"), 0, target.address());
        } catch (Bodies.Refused e) {
            return e.message("reply with", "to a message on '" + target.address() + "'");
        } catch (Bodies.BadHeaders e) {
            return e.getMessage();
        }
        target.reply(body, options);
        return null;
    }

    private static List<String> replyAll(List<?> replies) {
        List<String> problems = null;
        for (int i = 0; i + 1 < replies.size(); i += 2) {
            ReplyTarget target = (ReplyTarget) replies.get(i);
            try {
                target.reply(Bodies.encode(replies.get(i + 1)), new DeliveryOptions());
            } catch (Bodies.Refused e) {
                String problem = e.message("reply with", "to a message on '" + target.address() + "'");
                target.fail(HANDLER_FAILED, "TypeError: " + problem);
                problems = problems == null ? new ArrayList<>() : problems;
                problems.add(problem);
            }
        }
        return problems;
    }
}
