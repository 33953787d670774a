package dev.jawait.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustered event bus across JVMs on 127.0.0.1 (Hazelcast, TCP join on loopback): a trio
 * pricing service run with {@code jawait run --cluster} on node A answers an asyncio Python client
 * on node B and a Java client on node C (this JVM); the client on B also reaches a Java consumer on
 * C. Then A is killed while both clients keep up traffic: their pending requests fail, within their
 * timeout, with errors that say so; a new A joins, and traffic resumes. Every wait is bounded.
 */
@Timeout(600) // three JVMs that start Python and join, then waits of up to a minute each: a busy machine is slow
class ClusterTest {
    private static final Path VERTICLES = Path.of("src/test/python").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long TRAFFIC_TIMEOUT_MS = 2000;

    /** Node C's logs, kept to warnings that matter: the killed node makes Vert.x retry, and Hazelcast is chatty. */
    private static final List<Logger> QUIETER = List.of(
            quieter("io.vertx.core.eventbus.impl.clustered", Level.SEVERE), quieter("com.hazelcast", Level.WARNING));

    private static Logger quieter(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }

    @TempDir
    Path temp;

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static void waitUntil(String what, Duration timeout, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited " + timeout.toSeconds() + " s for " + what);
            Thread.sleep(100);
        }
    }

    private JawaitProcess pricing(LoopbackCluster cluster, String node) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("run", "verticles.pricing", "--loop", "trio", "--conf", "{\"node\": \"" + node + "\"}"));
        args.addAll(LoopbackCluster.runOptions());
        JawaitProcess process = JawaitProcess.start(VERTICLES, cluster.jvmOptions(), args.toArray(String[]::new));
        assertTrue(process.awaitOutput("pricing serving on " + node, WAIT), process.output());
        return process;
    }

    @Test
    void pythonAndJavaNodesAnswerEachOtherAndOutliveANodeThatDies() throws Exception {
        LoopbackCluster cluster = new LoopbackCluster(temp);
        List<String> clientArgs = new ArrayList<>(List.of("run", "verticles.client"));
        clientArgs.addAll(LoopbackCluster.runOptions());
        JawaitProcess nodeA = pricing(cluster, "A");
        try (JawaitProcess nodeB =
                JawaitProcess.start(VERTICLES, cluster.jvmOptions(), clientArgs.toArray(String[]::new))) {
            assertTrue(nodeB.awaitOutput("client ready", WAIT), nodeB.output());
            Vertx nodeC = await(cluster.join());
            try {
                waitUntil(
                        "the pricing service to be reachable from node C",
                        WAIT,
                        () -> reachable(nodeC, "pricing.quote") && reachable(nodeC, "client.quotes"));

                JsonObject quote = (JsonObject) request(
                                nodeC,
                                "pricing.quote",
                                new JsonObject().put("item", "coffee").put("qty", 3))
                        .body();
                assertEquals(
                        new JsonObject()
                                .put("item", "coffee")
                                .put("qty", 3)
                                .put("total", 18.0)
                                .put("node", "A")
                                .put("library", "trio"),
                        quote,
                        "a Java client on C, the trio service on A");

                JsonArray quotes = (JsonArray) request(
                                nodeC,
                                "client.quotes",
                                new JsonObject()
                                        .put("items", new JsonArray().add("tea").add("gold")))
                        .body();
                assertEquals(
                        new JsonArray()
                                .add(new JsonObject()
                                        .put(
                                                "ok",
                                                new JsonObject()
                                                        .put("item", "tea")
                                                        .put("qty", 2)
                                                        .put("total", 9.0)
                                                        .put("node", "A")
                                                        .put("library", "trio")))
                                .add(
                                        new JsonObject()
                                                .put("error", "ReplyError")
                                                .put(
                                                        "message",
                                                        "'pricing.quote' failed the request with code 404: no price for 'gold'")),
                        quotes,
                        "the asyncio client on B, the trio service on A");

                await(nodeC.eventBus()
                        .<Object>consumer(
                                "java.echo",
                                message -> message.reply(new JsonObject()
                                        .put("echo", message.body())
                                        .put("node", "C")))
                        .completion());
                waitUntil("B to see C's Java consumer", WAIT, () -> {
                    try {
                        Object echoed = request(nodeC, "client.java", new JsonObject().put("address", "java.echo"))
                                .body();
                        assertEquals(
                                new JsonObject()
                                        .put("echo", new JsonObject().put("from", "python"))
                                        .put("node", "C"),
                                echoed);
                        return true;
                    } catch (Exception notYet) {
                        return false;
                    }
                });

                survivesTheDeathOfTheService(cluster, nodeA, nodeB, nodeC);
            } finally {
                await(nodeC.close());
            }
            assertEquals(143, nodeB.terminate(WAIT), nodeB.output());
        } finally {
            nodeA.close();
        }
    }

    private void survivesTheDeathOfTheService(
            LoopbackCluster cluster, JawaitProcess nodeA, JawaitProcess nodeB, Vertx nodeC) throws Exception {
        request(nodeC, "client.traffic.start", new JsonObject().put("timeout", TRAFFIC_TIMEOUT_MS / 1000.0));
        JavaTraffic java = new JavaTraffic(nodeC);
        waitUntil(
                "traffic through A from B and C", WAIT, () -> java.count("ok:A") >= 5 && pythonCount(nodeC, "A") >= 5);

        nodeA.kill();
        waitUntil(
                "failed requests after A died, on B and C",
                WAIT,
                () -> java.failures() >= 1 && pythonFailures(nodeC) >= 1);

        try (JawaitProcess newA = pricing(cluster, "A2")) {
            waitUntil(
                    "traffic through the new A from B and C",
                    WAIT,
                    () -> java.count("ok:A2") >= 5 && pythonCount(nodeC, "A2") >= 5);
            JsonObject python =
                    (JsonObject) request(nodeC, "client.traffic.stop", null).body();
            List<String> javaOutcomes = java.stop();

            assertEquals(0, python.getInteger("pending"), "B's requests all ended");
            assertEquals(0, java.pending.get(), "C's requests all ended");
            Set<String> clear = Set.of(
                    "no reply from 'pricing.quote' within 2 s", "no handler for 'pricing.quote' on the event bus");
            for (Object outcome : python.getJsonArray("outcomes")) {
                JsonObject o = (JsonObject) outcome;
                assertTrue(
                        o.containsKey("ok")
                                || clear.contains(o.getString("message"))
                                || o.getString("message").startsWith("the request to 'pricing.quote' failed: "),
                        o.encode());
            }
            for (String outcome : javaOutcomes) {
                assertTrue(
                        outcome.startsWith("ok:")
                                || outcome.startsWith("TIMEOUT:")
                                || outcome.startsWith("NO_HANDLERS:")
                                || outcome.startsWith("ERROR:"),
                        outcome);
            }
            assertEquals(143, newA.terminate(WAIT), newA.output());
        }
    }

    private static boolean reachable(Vertx vertx, String address) {
        try {
            await(vertx.eventBus()
                    .request(
                            address,
                            new JsonObject().put("item", "tea").put("items", new JsonArray()),
                            new DeliveryOptions().setSendTimeout(2000)));
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static Message<Object> request(Vertx vertx, String address, Object body) throws Exception {
        return await(vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(30_000)));
    }

    private static JsonArray pythonOutcomes(Vertx vertx) {
        try {
            return ((JsonObject) request(vertx, "client.traffic.tally", null).body()).getJsonArray("outcomes");
        } catch (Exception e) {
            throw new AssertionError("the client on B did not report its traffic", e);
        }
    }

    private static long pythonCount(Vertx vertx, String node) {
        return pythonOutcomes(vertx).stream()
                .filter(o -> node.equals(((JsonObject) o).getString("ok")))
                .count();
    }

    private static long pythonFailures(Vertx vertx) {
        return pythonOutcomes(vertx).stream()
                .filter(o -> ((JsonObject) o).containsKey("error"))
                .count();
    }

    /** A request every 20 ms from a Java verticle's context on node C; outcomes as "ok:NODE" or "TYPE:message". */
    private static final class JavaTraffic {
        final List<String> outcomes = new CopyOnWriteArrayList<>();
        final AtomicInteger pending = new AtomicInteger();
        private final Vertx vertx;
        private final long timer;

        JavaTraffic(Vertx vertx) {
            this.vertx = vertx;
            this.timer = vertx.setPeriodic(20, id -> {
                pending.incrementAndGet();
                vertx.eventBus()
                        .request(
                                "pricing.quote",
                                new JsonObject().put("item", "tea"),
                                new DeliveryOptions().setSendTimeout(TRAFFIC_TIMEOUT_MS))
                        .onComplete(outcome -> {
                            outcomes.add(
                                    outcome.succeeded()
                                            ? "ok:"
                                                    + ((JsonObject) outcome.result()
                                                                    .body())
                                                            .getString("node")
                                            : outcome.cause() instanceof ReplyException failure
                                                    ? failure.failureType() + ":" + failure.getMessage()
                                                    : "unexpected:" + outcome.cause());
                            pending.decrementAndGet();
                        });
            });
        }

        long count(String outcome) {
            return outcomes.stream().filter(outcome::equals).count();
        }

        long failures() {
            return outcomes.stream().filter(o -> !o.startsWith("ok:")).count();
        }

        /** Stops sending and waits until every request has ended (each by its timeout at the latest). */
        List<String> stop() throws Exception {
            vertx.cancelTimer(timer);
            waitUntil("C's pending requests to end", WAIT, () -> pending.get() == 0);
            return List.copyOf(outcomes);
        }
    }
}
