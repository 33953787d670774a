package dev.jawait.vertx.pytests;

import dev.jawait.Python;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import dev.jawait.export.PythonStubs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Java side of the event-bus pytest suites ({@code jawait_vertx_testmod}): a Vert.x instance,
 * Java consumers that record what they receive (the Java type of each body, as Java code sees it),
 * and a Java client, so that the suites check what Java peers see of Python's messages.
 */
@PyModule(value = "jawait_vertx_testmod", doc = "Vert.x and Java event-bus peers for the jawait.vertx suites.")
public class BusTestModule implements ModuleProvider {
    /** Made at first use: the JUnit suites find this module too, and need no Vert.x of its own. */
    private static final class Shared {
        static final Vertx VERTX = Vertx.vertx();
    }

    private static final Map<String, MessageConsumer<Object>> CONSUMERS = new ConcurrentHashMap<>();
    private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();

    private static final CyclicBarrier PAIR = new CyclicBarrier(2);

    @PyFunction(
            doc = "Waits, holding the caller's GIL, until a second caller arrives (at most 20 s): whether one did. "
                    + "Two callers meet only if they run Python at once, in interpreters of their own.")
    public static boolean meet() {
        try {
            PAIR.await(20, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            PAIR.reset();
            return false;
        }
    }

    @PyFunction(
            doc = "Writes the stubs of the Java modules importable here, and jawait's Python packages, into directory.")
    public static List<String> writeStubs(String directory) {
        return PythonStubs.write(Path.of(directory), Python.get().modules()).stream()
                .map(Path::toString)
                .toList();
    }

    @PyFunction(doc = "The Vert.x instance of the suites.")
    public static Vertx vertx() {
        return Shared.VERTX;
    }

    @PyFunction(doc = "A Vert.x instance that was closed.")
    public static Future<Vertx> closedVertx() {
        Vertx closed = Vertx.vertx();
        return closed.close().map(closed);
    }

    @PyFunction(
            doc = "A Java consumer that replies [Java type of the body, the body, its headers]; "
                    + "completes once registered.")
    public static Future<Void> javaEcho(String address) {
        return register(
                address,
                message -> message.reply(
                        new JsonArray()
                                .add(javaType(message.body()))
                                .add(message.body())
                                .add(new JsonObject(Map.copyOf(headers(message)))),
                        new DeliveryOptions().addHeader("replied-by", "java")));
    }

    @PyFunction(doc = "A Java consumer that fails each message with this code and text.")
    public static Future<Void> javaFailing(String address, int code, String text) {
        return register(address, message -> message.fail(code, text));
    }

    @PyFunction(doc = "A Java consumer that never replies.")
    public static Future<Void> javaSilent(String address) {
        return register(address, message -> {});
    }

    private static Future<Void> register(String address, io.vertx.core.Handler<Message<Object>> handler) {
        List<Object> received = RECEIVED.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>());
        MessageConsumer<Object> consumer = Shared.VERTX.eventBus().consumer(address, message -> {
            received.add(List.of(
                    javaType(message.body()),
                    String.valueOf(message.body() instanceof Buffer b ? b.toString() : message.body()),
                    headers(message)));
            handler.handle(message);
        });
        CONSUMERS.put(address + "#" + System.identityHashCode(consumer), consumer);
        return consumer.completion();
    }

    private static Map<String, String> headers(Message<?> message) {
        Map<String, String> headers = new TreeMap<>();
        message.headers().forEach(headers::put);
        return headers;
    }

    /** The Java type of a body, naming Vert.x interfaces rather than their implementations. */
    private static String javaType(Object body) {
        return body == null
                ? "null"
                : body instanceof Buffer ? "Buffer" : body.getClass().getSimpleName();
    }

    @PyFunction(doc = "What Java consumers of the address received: [Java type, text, headers] each.")
    public static List<Object> received(String address) {
        return RECEIVED.getOrDefault(address, List.of());
    }

    @PyFunction(doc = "Unregisters every Java consumer; completes once Vert.x confirms.")
    public static Future<?> unregisterJava() {
        List<Future<Void>> all =
                CONSUMERS.values().stream().map(MessageConsumer::unregister).toList();
        CONSUMERS.clear();
        RECEIVED.clear();
        return Future.all(all);
    }

    @PyFunction(
            doc = "A request from Java with a body of the given kind: the reply as [Java type of its "
                    + "body, its body, its headers], or the failure as ['failure', type, code, message].")
    public static Future<List<Object>> javaRequest(String address, String kind, long timeoutMillis) {
        return Shared.VERTX
                .eventBus()
                .<Object>request(
                        address,
                        body(kind),
                        new DeliveryOptions().setSendTimeout(timeoutMillis).addHeader("sent-by", "java"))
                .transform(outcome -> {
                    if (outcome.succeeded()) {
                        Message<Object> reply = outcome.result();
                        return Future.succeededFuture(
                                Arrays.asList(javaType(reply.body()), reply.body(), headers(reply)));
                    }
                    if (outcome.cause() instanceof ReplyException failure) {
                        return Future.succeededFuture(List.of(
                                "failure",
                                failure.failureType().name(),
                                failure.failureCode(),
                                String.valueOf(failure.getMessage())));
                    }
                    return Future.failedFuture(outcome.cause());
                });
    }

    @PyFunction(doc = "Sends (publish=False) or publishes a body of the given kind from Java.")
    public static void javaSend(String address, String kind, boolean publish) {
        if (publish) {
            Shared.VERTX.eventBus().publish(address, body(kind));
        } else {
            Shared.VERTX.eventBus().send(address, body(kind));
        }
    }

    private static Object body(String kind) {
        return switch (kind) {
            case "json" -> new JsonObject().put("item", "tea").put("qty", 3).put("tags", new JsonArray().add("green"));
            case "array" -> new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3.0));
            case "string" -> "hello";
            case "buffer" -> Buffer.buffer(new byte[] {0, 1, (byte) 0xff});
            case "long" -> 42L;
            case "int" -> 7;
            case "double" -> 2.5;
            case "boolean" -> true;
            case "null" -> null;
            case "numbers" ->
                new JsonObject()
                        .put("int_min", Integer.MIN_VALUE)
                        .put("int_max", Integer.MAX_VALUE)
                        .put("past_int", (long) Integer.MAX_VALUE + 1)
                        .put("below_int", (long) Integer.MIN_VALUE - 1)
                        .put("long_min", Long.MIN_VALUE)
                        .put("long_max", Long.MAX_VALUE)
                        .put("short", (short) -7)
                        .put("float", 1.5f)
                        .put("negative_zero", -0.0)
                        .put("huge", 1e300);
            case "unicode" ->
                new JsonObject()
                        .put("é", "日本")
                        .put("emoji", "\uD83D\uDE00 x")
                        .put("list", new JsonArray().add("ä").add("b"));
            case "strings" ->
                new JsonObject()
                        .put("", "")
                        .put("ascii_255", "a".repeat(255))
                        .put("ascii_256", "b".repeat(256))
                        .put("controls", "\u0000\u007f")
                        .put("latin_1", "\u00ff")
                        .put("ascii_then_not", "a".repeat(200) + "\u00e9")
                        .put("not_ascii_300", "\u65e5".repeat(300));
            case "deep" -> {
                Object nested = 1;
                for (int i = 0; i < 80; i++) {
                    nested = new JsonObject().put("d", nested);
                }
                yield nested;
            }
            case "java-collections" ->
                new JsonObject()
                        .put("map", new LinkedHashMap<>(Map.of("k", 1)))
                        .put("list", new ArrayList<>(List.of(1, 2)));
            case "bytes-inside" -> new JsonObject().put("raw", new byte[] {1, 2});
            default -> throw new IllegalArgumentException("no body kind " + kind);
        };
    }
}
