package dev.jawait.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.PythonException;
import dev.jawait.async.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every event loop that jawait runs must do, whatever its library: a backend's test extends
 * this and names its library and loop flavors. The Python work it submits lives in the module
 * {@code loop_work_<library>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
public abstract class EventLoopContract {
    protected final Python python = TestPython.get();
    private PyObject work;

    /** The Python async library the loops run: "asyncio" or "trio". */
    protected abstract String library();

    /** The flavors {@link EventLoop#start} takes for it, such as "asyncio" and "uvloop". */
    protected abstract List<String> flavors();

    protected String workModule() {
        return "loop_work_" + library();
    }

    @BeforeAll
    void defineWork() {
        String lib = library();
        work = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import types, sys",
                    "work = types.ModuleType('" + workModule() + "')",
                    "exec('''",
                    "import " + lib + ", sniffio",
                    "started, cancelled = [], []",
                    "async def double(x):",
                    "    await " + lib + ".sleep(0)",
                    "    return x * 2",
                    "async def library():",
                    "    return sniffio.current_async_library()",
                    "async def fail(message):",
                    "    await " + lib + ".sleep(0)",
                    "    raise ValueError(message)",
                    "async def sleep_and_record(tag):",
                    "    started.append(tag)",
                    "    try:",
                    "        await " + lib + ".sleep(60)",
                    "    except BaseException:  # the library's cancellation",
                    "        cancelled.append(tag)",
                    "        raise",
                    "''', work.__dict__)",
                    "sys.modules[work.__name__] = work"));
            return py.importModule(workModule());
        });
    }

    @AfterAll
    void releaseWork() {
        work.close();
    }

    protected PyObject function(String name) {
        return python.attach(py -> work.getAttr(name));
    }

    private boolean cancelledInPython(String tag) {
        return python.attach(py -> work.getAttr("cancelled").toJava().toString().contains(tag));
    }

    /** Whether sleep_and_record(tag) has begun: a task cancelled before its first step records nothing. */
    private boolean startedInPython(String tag) {
        return python.attach(py -> work.getAttr("started").toJava().toString().contains(tag));
    }

    public static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    void runsCoroutinesSubmittedFromManyJavaThreads() throws Exception {
        for (String flavor : flavors()) {
            try (EventLoop loop = EventLoop.start(python, flavor);
                    PyObject doubler = function("double");
                    PyObject running = function("library")) {
                assertTrue(loop.isOwned());
                assertEquals(flavor, loop.flavor());
                assertEquals(library(), loop.submit(String.class, running).get(30, TimeUnit.SECONDS));
                ExecutorService threads = Executors.newFixedThreadPool(4);
                try {
                    List<CompletableFuture<Long>> results = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        long value = i;
                        results.add(
                                CompletableFuture.supplyAsync(() -> loop.submit(Long.class, doubler, value), threads)
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
    }

    @Test
    void submitsFunctionsByQualifiedName() throws Exception {
        try (EventLoop loop = EventLoop.start(python, flavors().get(0))) {
            assertEquals(42L, loop.submit(workModule() + ".double", 21).get(30, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> loop.submit(workModule() + ".missing").get(30, TimeUnit.SECONDS));
            assertInstanceOf(PythonException.class, e.getCause());
            assertTrue(((PythonException) e.getCause()).isInstance("AttributeError"));
        }
    }

    @Test
    void argumentsTheCallerClosesAtOnceStillArrive() throws Exception {
        try (EventLoop loop = EventLoop.start(python, flavors().get(0));
                PyObject doubler = function("double")) {
            // Submitted and closed while this thread holds the GIL: the loop runs the call only after.
            List<CompletableFuture<Object>> results = python.attach(py -> {
                try (PyObject n = py.eval("21");
                        PyObject m = py.eval("4")) {
                    return List.of(loop.submit(workModule() + ".double", n), loop.submit(doubler, m));
                }
            });
            assertEquals(42L, results.get(0).get(30, TimeUnit.SECONDS));
            assertEquals(8L, results.get(1).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPythonExceptionFailsTheJavaFuture() throws Exception {
        try (EventLoop loop = EventLoop.start(python, flavors().get(0));
                PyObject fail = function("fail")) {
            ExecutionException e = assertThrows(
                    ExecutionException.class, () -> loop.submit(fail, "boom").get(30, TimeUnit.SECONDS));
            PythonException cause = assertInstanceOf(PythonException.class, e.getCause());
            assertEquals("ValueError", cause.pythonType());
            assertEquals("boom", cause.pythonMessage());
            assertEquals("fail", cause.getStackTrace()[0].getMethodName());
        }
    }

    @Test
    void aResultOfTheWrongTypeFailsTheJavaFutureClearly() throws Exception {
        try (EventLoop loop = EventLoop.start(python, flavors().get(0));
                PyObject doubler = function("double")) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> loop.submit(Long.class, doubler, "text").get(30, TimeUnit.SECONDS));
            assertInstanceOf(ClassCastException.class, e.getCause());
            assertTrue(
                    e.getCause().getMessage().contains("returned a Python str"),
                    e.getCause().getMessage());
        }
    }

    @Test
    void cancellingTheJavaFutureCancelsThePythonTask() throws Exception {
        try (EventLoop loop = EventLoop.start(python, flavors().get(0));
                PyObject sleeper = function("sleep_and_record")) {
            CompletableFuture<Object> future = loop.submit(sleeper, "java-cancel");
            waitUntil(() -> startedInPython("java-cancel"));
            assertTrue(future.cancel(true));
            waitUntil(() -> cancelledInPython("java-cancel"));
            CompletableFuture<Object> submitted = loop.submit(sleeper, "java-timeout");
            waitUntil(() -> startedInPython("java-timeout"));
            CompletableFuture<Object> timed = submitted.orTimeout(50, TimeUnit.MILLISECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> timed.get(30, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
            waitUntil(() -> cancelledInPython("java-timeout"));
        }
    }

    @Test
    void closingCancelsPendingWorkAndRefusesNewWork() throws Exception {
        EventLoop loop = EventLoop.start(python, flavors().get(0));
        try (PyObject sleeper = function("sleep_and_record")) {
            List<CompletableFuture<Object>> pending = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pending.add(loop.submit(sleeper, "closed-" + i));
            }
            waitUntil(() -> startedInPython("closed-9"));
            loop.close();
            for (CompletableFuture<Object> future : pending) {
                CancellationException e =
                        assertThrows(CancellationException.class, () -> future.get(30, TimeUnit.SECONDS));
                // From JDK 23, get() throws a CancellationException("get") caused by the future's own.
                String message =
                        e.getCause() instanceof CancellationException cause ? cause.getMessage() : e.getMessage();
                assertTrue(message.contains("because its event loop") && message.contains("closed"), message);
            }
            assertTrue(cancelledInPython("closed-9"));
            assertTrue(loop.isClosed());
            ExecutionException refused = assertThrows(
                    ExecutionException.class, () -> loop.submit(sleeper, "late").get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, refused.getCause());
            assertTrue(
                    refused.getCause().getMessage().contains("is closed"),
                    refused.getCause().getMessage());
            loop.close(); // closing twice is harmless
        }
    }
}
