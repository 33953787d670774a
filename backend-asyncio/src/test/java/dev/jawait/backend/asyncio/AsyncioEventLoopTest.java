package dev.jawait.backend.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.PythonException;
import dev.jawait.async.EventLoop;
import dev.jawait.testing.TestPython;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Event loops that jawait runs: asyncio and uvloop, fed from Java threads. */
@Timeout(120)
class AsyncioEventLoopTest {
    private static Python python;
    private static PyObject work;

    @BeforeAll
    static void defineWork() {
        python = TestPython.get();
        work = python.attach(py -> {
            py.exec(String.join("\n",
                    "import asyncio, types, sys",
                    "aio_work = types.ModuleType('aio_work')",
                    "exec('''",
                    "import asyncio",
                    "cancelled = []",
                    "async def double(x):",
                    "    await asyncio.sleep(0)",
                    "    return x * 2",
                    "async def fail(message):",
                    "    await asyncio.sleep(0)",
                    "    raise KeyError(message)",
                    "async def sleep_and_record(tag):",
                    "    try:",
                    "        await asyncio.sleep(60)",
                    "    except asyncio.CancelledError:",
                    "        cancelled.append(tag)",
                    "        raise",
                    "blocking = []",
                    "async def finish_then_block():",
                    "    asyncio.get_running_loop().call_soon(block_loop)  # runs before the task's outcome is reported",
                    "    return 'finished'",
                    "def block_loop():",
                    "    blocking.append(True)",
                    "    import time",
                    "    time.sleep(0.3)",
                    "async def loop_kind():",
                    "    return type(asyncio.get_running_loop()).__module__",
                    "''', aio_work.__dict__)",
                    "sys.modules['aio_work'] = aio_work"));
            return py.importModule("aio_work");
        });
    }

    @AfterAll
    static void release() {
        work.close();
    }

    private static PyObject function(String name) {
        return python.attach(py -> work.getAttr(name));
    }

    private static boolean cancelledInPython(String tag) {
        return python.attach(py -> work.getAttr("cancelled").toJava().toString().contains(tag));
    }

    @ParameterizedTest
    @ValueSource(strings = {"asyncio", "uvloop"})
    void runsCoroutinesSubmittedFromManyJavaThreads(String flavor) throws Exception {
        try (EventLoop loop = EventLoop.start(python, flavor); PyObject doubler = function("double");
             PyObject kind = function("loop_kind")) {
            assertTrue(loop.isOwned());
            assertEquals(flavor.equals("uvloop") ? "uvloop" : "asyncio.unix_events",
                    loop.submit(String.class, kind).get(30, TimeUnit.SECONDS));
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<Long>> results = new ArrayList<>();
                for (int i = 0; i < 4000; i++) {
                    long value = i;
                    results.add(CompletableFuture.supplyAsync(() -> loop.submit(Long.class, doubler, value), threads)
                            .thenCompose(f -> f));
                }
                for (int i = 0; i < results.size(); i++) {
                    assertEquals(2L * i, results.get(i).get(30, TimeUnit.SECONDS));
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void submitsFunctionsByQualifiedName() throws Exception {
        try (EventLoop loop = EventLoop.start(python, "asyncio")) {
            assertEquals(42L, loop.submit("aio_work.double", 21).get(30, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> loop.submit("aio_work.missing").get(30, TimeUnit.SECONDS));
            assertInstanceOf(PythonException.class, e.getCause());
            assertTrue(((PythonException) e.getCause()).isInstance("AttributeError"));
        }
    }

    @Test
    void aPythonExceptionFailsTheJavaFuture() throws Exception {
        try (EventLoop loop = EventLoop.start(python, "asyncio"); PyObject fail = function("fail")) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> loop.submit(fail, "boom").get(30, TimeUnit.SECONDS));
            PythonException cause = assertInstanceOf(PythonException.class, e.getCause());
            assertEquals("KeyError", cause.pythonType());
            assertEquals("'boom'", cause.pythonMessage());
            assertEquals("fail", cause.getStackTrace()[0].getMethodName());
        }
    }

    @Test
    void aResultOfTheWrongTypeFailsTheJavaFutureClearly() throws Exception {
        try (EventLoop loop = EventLoop.start(python, "asyncio"); PyObject doubler = function("double")) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> loop.submit(Long.class, doubler, "text").get(30, TimeUnit.SECONDS));
            assertInstanceOf(ClassCastException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("returned a Python str"), e.getCause().getMessage());
        }
    }

    @Test
    void cancellingTheJavaFutureCancelsThePythonTask() throws Exception {
        try (EventLoop loop = EventLoop.start(python, "asyncio"); PyObject sleeper = function("sleep_and_record")) {
            CompletableFuture<Object> future = loop.submit(sleeper, "java-cancel");
            Thread.sleep(50);
            assertTrue(future.cancel(true));
            waitUntil(() -> cancelledInPython("java-cancel"));
            CompletableFuture<Object> timed = loop.submit(sleeper, "java-timeout").orTimeout(50, TimeUnit.MILLISECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> timed.get(30, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
            waitUntil(() -> cancelledInPython("java-timeout"));
        }
    }

    @Test
    void cancellingATaskThatFinishedMeanwhileIsQuiet() throws Exception {
        Logger channelLog = Logger.getLogger("dev.jawait.internal.async.LoopChannel");
        List<LogRecord> errors = Collections.synchronizedList(new ArrayList<>());
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                errors.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        channelLog.addHandler(recorder);
        try (EventLoop loop = EventLoop.start(python, "asyncio"); PyObject finisher = function("finish_then_block");
             PyObject doubler = function("double")) {
            CompletableFuture<Object> future = loop.submit(finisher);
            waitUntil(() -> python.attach(py -> !work.getAttr("blocking").toJava().toString().equals("[]")));
            // The task has finished, but its outcome reaches Java only after the loop unblocks.
            assertTrue(future.cancel(true));
            assertEquals(4L, loop.submit(doubler, 2).get(30, TimeUnit.SECONDS)); // the cancel action has run
        } finally {
            channelLog.removeHandler(recorder);
        }
        assertEquals(List.of(), errors.stream().map(r -> r.getMessage() + ": " + r.getThrown()).toList());
    }

    @Test
    void closingCancelsPendingWorkAndRefusesNewWork() throws Exception {
        EventLoop loop = EventLoop.start(python, "asyncio");
        PyObject sleeper = function("sleep_and_record");
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(loop.submit(sleeper, "closed-" + i));
        }
        Thread.sleep(50);
        loop.close();
        for (CompletableFuture<Object> future : pending) {
            CancellationException e = assertThrows(CancellationException.class, () -> future.get(30, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("because its event loop") && e.getMessage().contains("closed"),
                    e.getMessage());
        }
        assertTrue(cancelledInPython("closed-9"));
        assertTrue(loop.isClosed());
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> loop.submit(sleeper, "late").get(30, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("is closed"), refused.getCause().getMessage());
        loop.close(); // closing twice is harmless
        sleeper.close();
    }

    @Test
    void anUnknownLoopFlavorIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventLoop.start(python, "curio"));
        assertTrue(e.getMessage().contains("no jawait backend runs 'curio' event loops"), e.getMessage());
        assertTrue(e.getMessage().contains("asyncio") && e.getMessage().contains("uvloop"), e.getMessage());
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(5);
        }
    }
}
