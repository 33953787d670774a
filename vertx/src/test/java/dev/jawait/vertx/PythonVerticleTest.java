package dev.jawait.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.PythonException;
import dev.jawait.testing.TestPython;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python modules deployed as verticles (src/test/python/verticles): start and stop awaited as the
 * verticle's, on asyncio, uvloop and trio; failures that fail the deployment; instances; undeploying
 * that waits for the verticle's tasks; and Vert.x threads that never wait for the GIL.
 */
@Timeout(120)
class PythonVerticleTest {
    private static Python python;
    private static Vertx vertx;
    private static final List<String> BLOCKED_WARNINGS = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.contains("has been blocked for")) {
                BLOCKED_WARNINGS.add(message);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void start() {
        python = TestPython.get();
        String verticles = Path.of("src/test/python").toAbsolutePath().toString();
        python.run(py -> {
            try (PyObject sys = py.importModule("sys");
                    PyObject path = sys.getAttr("path")) {
                path.callMethod("insert", 0, verticles).close();
            }
        });
        Logger.getLogger("").addHandler(CAPTURE);
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(200)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(Future<?> future) {
        ExecutionException e =
                org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(future));
        return e.getCause();
    }

    private static String address() {
        return "verticle.test." + UUID.randomUUID();
    }

    private static DeploymentOptions config(String address) {
        return new DeploymentOptions()
                .setConfig(new JsonObject().put("address", address).put("answer", 42));
    }

    private static JsonObject ask(String address, Object body) throws Exception {
        Message<Object> reply = await(vertx.eventBus().request(address, body));
        return (JsonObject) reply.body();
    }

    private static Object pythonGlobal(String module, String name) {
        return python.attach(py -> {
            try (PyObject m = py.importModule(module);
                    PyObject value = m.getAttr(name)) {
                return value.toJava();
            }
        });
    }

    @Test
    void aModuleDeploysByNameWithItsLoopInTheConfig() throws Exception {
        String address = address();
        DeploymentOptions options = new PythonVerticleOptions().setLoop("trio").applyTo(config(address));
        assertEquals("trio", options.getConfig().getJsonObject("jawait").getString("loop"));
        String id = await(vertx.deployVerticle("python:verticles.echo", options));
        JsonObject answer = ask(address, "by name?");
        assertEquals("trio", answer.getString("library"));
        assertEquals(
                new JsonObject().put("address", address).put("answer", 42),
                answer.getJsonObject("config"),
                "the module's config is the deployment's without the \"jawait\" entry");
        await(vertx.undeploy(id));

        String plain = address();
        id = await(vertx.deployVerticle("python:verticles.echo", config(plain)));
        assertEquals("asyncio", ask(plain, "defaults?").getString("library"));
        await(vertx.undeploy(id));
    }

    @Test
    void aDeploymentByNameWithABadEntryOrNameFailsSayingWhy() {
        DeploymentOptions badEntry =
                config(address()).setConfig(new JsonObject().put("jawait", new JsonObject().put("loop", 5)));
        Throwable entry = failureOf(vertx.deployVerticle("python:verticles.echo", badEntry));
        assertInstanceOf(IllegalArgumentException.class, entry);
        assertEquals(
                "the Python verticle's config entry \"jawait\".loop must be a string (asyncio, uvloop or trio), "
                        + "not 5",
                entry.getMessage());
        DeploymentOptions badLoop =
                config(address()).setConfig(new JsonObject().put("jawait", new JsonObject().put("loop", "curio")));
        Throwable loop = failureOf(vertx.deployVerticle("python:verticles.echo", badLoop));
        assertTrue(loop.getMessage().startsWith("no jawait backend runs 'curio' event loops"), loop.getMessage());
        Throwable name = failureOf(vertx.deployVerticle("python:not a module", new DeploymentOptions()));
        assertTrue(name.getMessage().contains("does not name a Python module"), name.getMessage());
    }

    @Test
    void startAndStopAreTheVerticlesOnEveryLoop() throws Exception {
        for (String loop : List.of("asyncio", "uvloop", "trio")) {
            String address = address();
            List<Object> goodbyes = new CopyOnWriteArrayList<>();
            await(vertx.eventBus()
                    .consumer(address + ".stopped", message -> goodbyes.add(message.body()))
                    .completion());
            String id = await(vertx.deployVerticle(new PythonVerticle("verticles.echo", loop), config(address)));
            JsonObject answer = ask(address, "who are you?");
            assertEquals(new JsonObject().put("address", address).put("answer", 42), answer.getJsonObject("config"));
            assertEquals(id, answer.getString("deployment"));
            assertEquals(loop.equals("trio") ? "trio" : "asyncio", answer.getString("library"));
            assertEquals(loop, answer.getString("loop"));
            assertEquals("who are you?", answer.getString("asked"));

            await(vertx.undeploy(id));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (goodbyes.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10); // a publication arrives when it arrives
            }
            assertEquals(List.of(id), goodbyes, "stop() ran, and could still publish");
            ReplyException gone = assertInstanceOf(
                    ReplyException.class, failureOf(vertx.eventBus().request(address, "still there?")));
            assertEquals(ReplyFailure.NO_HANDLERS, gone.failureType(), "undeploying unregistered the handler");
            assertTrue(((List<?>) pythonGlobal("verticles.echo", "ticks")).contains(id));
            assertTrue(
                    ((List<?>) pythonGlobal("verticles.echo", "ticking_ended")).contains(id),
                    "the background task was cancelled");
        }
    }

    @Test
    void aFailingStartFailsTheDeploymentWithThePythonExceptionAndLeavesNothing() throws Exception {
        String address = address();
        Throwable failure = failureOf(vertx.deployVerticle(
                new PythonVerticle("verticles.failing"),
                new DeploymentOptions()
                        .setConfig(new JsonObject().put("address", address).put("database", "db.example:5432"))));
        PythonException python = assertInstanceOf(PythonException.class, failure);
        assertEquals("ValueError", python.pythonType());
        assertEquals("no database at db.example:5432", python.pythonMessage());
        for (String consumer : List.of(address, address + ".early")) {
            ReplyException gone = assertInstanceOf(
                    ReplyException.class, failureOf(vertx.eventBus().request(consumer, "?")));
            assertEquals(ReplyFailure.NO_HANDLERS, gone.failureType());
        }
    }

    @Test
    void modulesThatAreNoVerticlesAreRefusedWithAMessageThatSaysWhy() {
        PythonException missing = assertInstanceOf(
                PythonException.class, failureOf(vertx.deployVerticle(new PythonVerticle("verticles.nosuchmodule"))));
        assertEquals("ModuleNotFoundError", missing.pythonType());
        assertEquals("No module named 'verticles.nosuchmodule'", missing.pythonMessage());
        PythonException noStart = assertInstanceOf(
                PythonException.class, failureOf(vertx.deployVerticle(new PythonVerticle("verticles.nostart"))));
        assertEquals("AttributeError", noStart.pythonType());
        assertEquals(
                "module 'verticles.nostart' has no start(): a Python verticle defines async def start(verticle), "
                        + "and may define async def stop(verticle)",
                noStart.pythonMessage());
        PythonException syncStart = assertInstanceOf(
                PythonException.class, failureOf(vertx.deployVerticle(new PythonVerticle("verticles.syncstart"))));
        assertEquals("TypeError", syncStart.pythonType());
        assertEquals(
                "verticles.syncstart.start() must be an async function (async def start(verticle)), but it "
                        + "returned NoneType",
                syncStart.pythonMessage());
        IllegalStateException badLoop = assertInstanceOf(
                IllegalStateException.class,
                failureOf(vertx.deployVerticle(new PythonVerticle("verticles.echo", "twisted"))));
        assertTrue(
                badLoop.getMessage().startsWith("no jawait backend runs 'twisted' event loops"), badLoop.getMessage());
        IllegalArgumentException noModule = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new PythonVerticle(" "));
        assertEquals("a PythonVerticle needs the name of a Python module, such as app.pricing", noModule.getMessage());
    }

    @Test
    void instancesEachRunALoopAndShareTheModule() throws Exception {
        String address = address();
        int before = ((List<?>) pythonGlobal("verticles.echo", "instances")).size();
        String id = await(vertx.deployVerticle(
                () -> new PythonVerticle("verticles.echo"), config(address).setInstances(3)));
        assertEquals(
                before + 3,
                ((List<?>) pythonGlobal("verticles.echo", "instances")).size(),
                "three instances started, sharing the module's globals");
        Set<Long> threads = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            threads.add(ask(address, i).getLong("thread"));
        }
        assertEquals(3, threads.size(), "requests were spread over the instances' loops: " + threads);
        await(vertx.undeploy(id));
    }

    @Test
    void isolatedInstancesEachHaveAnInterpreterOfTheirOwnAndRunPythonAtOnce() throws Exception {
        String address = address();
        if (Integer.parseInt(python.version().split("\\.")[1]) < 12) {
            Throwable refused = failureOf(
                    vertx.deployVerticle(new PythonVerticle("verticles.parallel", "asyncio", true), config(address)));
            assertInstanceOf(UnsupportedOperationException.class, refused);
            assertTrue(
                    refused.getMessage().startsWith("isolated interpreters need CPython 3.12 or newer"),
                    refused.getMessage());
            return;
        }
        String id = await(vertx.deployVerticle(
                () -> new PythonVerticle("verticles.parallel", "asyncio", true),
                config(address).setInstances(2)));
        Set<Long> interpreters = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            JsonObject reply = ask(address, i);
            interpreters.add(reply.getLong("interpreter"));
            assertEquals(1, reply.getInteger("instances_here"), "each instance has the module to itself: " + reply);
        }
        assertEquals(2, interpreters.size(), "requests were spread over the two interpreters: " + interpreters);
        // Each "meet" holds its instance's GIL until the other arrives: only parallel interpreters both return true.
        DeliveryOptions patient = new DeliveryOptions().setSendTimeout(60_000);
        Future<Message<Object>> first = vertx.eventBus().request(address, "meet", patient);
        Future<Message<Object>> second = vertx.eventBus().request(address, "meet", patient);
        assertEquals(
                List.of(true, true), List.of(await(first).body(), await(second).body()));
        await(vertx.undeploy(id));
    }

    /**
     * Instances in the main interpreter: on a free-threaded Python, each one's handler runs its
     * Python at the same moment as the other's (verticles/together.py spins in pure Python until it
     * sees the other spinning). With a GIL, the same spin keeps the GIL, so the two never meet: the
     * check cannot pass when the instances take turns.
     */
    @Test
    void instancesInTheMainInterpreterRunPythonAtOnceWhenItIsFreeThreaded() throws Exception {
        boolean freeThreaded = gilDisabled();
        List<JsonObject> replies = meetInTwoInstances(new JsonObject().put("limit", freeThreaded ? 0 : 200_000));
        assertEquals(
                2, replies.stream().map(r -> r.getLong("thread")).distinct().count(), "two loops: " + replies);
        for (JsonObject reply : replies) {
            assertEquals(freeThreaded, reply.getBoolean("met"), "met only if not serialised: " + replies);
            assertEquals(!freeThreaded, reply.getBoolean("gil"), replies.toString());
        }
    }

    @Test
    void nativePackagesRunAtOnceInInstancesOfAFreeThreadedPython() throws Exception {
        assumeTrue(gilDisabled(), "with a GIL, instances of the main interpreter take turns (see the test above)");
        boolean pydantic =
                python.attach(py -> py.eval("__import__('importlib.util').util.find_spec('pydantic_core') is not None")
                        .isTrue());
        assumeTrue(
                pydantic,
                python.executable() + " cannot import pydantic_core (scripts/venv installs it in free-threaded venvs)");
        List<JsonObject> replies =
                meetInTwoInstances(new JsonObject().put("limit", 0).put("native", true));
        assertEquals(
                2, replies.stream().map(r -> r.getLong("thread")).distinct().count(), "two loops: " + replies);
        for (JsonObject reply : replies) {
            assertTrue(reply.getBoolean("met"), "both validated with pydantic-core at once: " + replies);
            assertFalse(reply.getBoolean("gil"), "pydantic-core left the GIL off: " + replies);
        }
    }

    private static boolean gilDisabled() {
        return python.attach(py -> py.eval("not getattr(__import__('sys'), '_is_gil_enabled', lambda: True)()")
                .isTrue());
    }

    /** Deploys verticles.together twice over and asks both instances at once to meet: their replies. */
    private static List<JsonObject> meetInTwoInstances(JsonObject request) throws Exception {
        String address = address();
        request.put("round", address);
        double switchInterval = python.attach(
                py -> py.eval("__import__('sys').getswitchinterval()").asDouble());
        String id = await(vertx.deployVerticle(
                () -> new PythonVerticle("verticles.together"), config(address).setInstances(2)));
        try {
            DeliveryOptions patient = new DeliveryOptions().setSendTimeout(90_000);
            Future<Message<Object>> first = vertx.eventBus().request(address, request, patient);
            Future<Message<Object>> second = vertx.eventBus().request(address, request, patient);
            return List.of(
                    (JsonObject) await(first).body(), (JsonObject) await(second).body());
        } finally {
            await(vertx.undeploy(id));
            python.run(py -> py.exec("__import__('sys').setswitchinterval(" + switchInterval + ")"));
        }
    }

    @Test
    void undeployingCancelsTasksAndHandlersAndCompletesAfterTheyEnded() throws Exception {
        String address = address();
        String id = await(vertx.deployVerticle(new PythonVerticle("verticles.cleanup", "trio"), config(address)));
        Future<Message<Object>> pending = vertx.eventBus().request(address, "stuck");
        while (!((List<?>) pythonGlobal("verticles.cleanup", "events")).contains("handler started")) {
            Thread.sleep(10);
        }
        await(vertx.undeploy(id));
        List<?> events = (List<?>) pythonGlobal("verticles.cleanup", "events");
        assertEquals(
                Set.of("handler started", "handler cancelled", "a cleaned up", "b cleaned up"),
                new HashSet<>(events),
                "undeploying completed after the tasks' clean-up: " + events);
        ReplyException refused = assertInstanceOf(ReplyException.class, failureOf(pending));
        assertEquals(503, refused.failureCode());
        assertEquals(
                "the handler of '" + address + "' was cancelled: the consumer was unregistered", refused.getMessage());
    }

    @Test
    void aFailingStopFailsTheUndeploymentButTheVerticleStillEnds() throws Exception {
        String address = address();
        String id = await(vertx.deployVerticle(new PythonVerticle("verticles.failingstop"), config(address)));
        assertEquals("here", await(vertx.eventBus().request(address, "?")).body());
        PythonException failure = assertInstanceOf(PythonException.class, failureOf(vertx.undeploy(id)));
        assertEquals("stop failed", failure.pythonMessage());
        assertEquals(List.of("task"), pythonGlobal("verticles.failingstop", "ended"));
        ReplyException gone = assertInstanceOf(
                ReplyException.class, failureOf(vertx.eventBus().request(address, "?")));
        assertEquals(ReplyFailure.NO_HANDLERS, gone.failureType());
    }

    @Test
    void vertxThreadsNeverWaitForTheGilOfABusyVerticle() throws Exception {
        String address = address();
        String id = await(vertx.deployVerticle(new PythonVerticle("verticles.busy"), config(address)));
        BLOCKED_WARNINGS.clear();
        vertx.eventBus().send(address + ".busy", 2.0); // the verticle's loop runs Python for 2 s
        int requests = 1000; // fewer than the consumer lets wait
        List<Future<Message<Object>>> replies = new CopyOnWriteArrayList<>();
        io.vertx.core.Context context = vertx.getOrCreateContext();
        CountDownLatch sent = new CountDownLatch(1);
        context.runOnContext(v -> {
            for (int i = 0; i < requests; i++) {
                replies.add(vertx.eventBus().request(address, i));
            }
            sent.countDown();
        });
        assertTrue(sent.await(60, TimeUnit.SECONDS));
        assertFalse(
                (Boolean) python.attach(py -> {
                    try (PyObject busy = py.importModule("verticles.busy");
                            PyObject done = busy.getAttr("busy_done")) {
                        return done.isTrue();
                    }
                }),
                "the event loop sent every request while Python was still busy");
        await(Future.all(replies));
        for (int i = 0; i < requests; i++) {
            assertEquals((long) i, replies.get(i).result().body());
        }
        await(vertx.undeploy(id));
        assertEquals(List.of(), BLOCKED_WARNINGS);
    }
}
