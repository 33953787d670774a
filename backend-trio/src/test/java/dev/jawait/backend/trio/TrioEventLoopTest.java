package dev.jawait.backend.trio;

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
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** trio runs that jawait hosts, fed from Java threads. */
@Timeout(120)
class TrioEventLoopTest {
    private static Python python;
    private static PyObject work;

    @BeforeAll
    static void defineWork() {
        python = TestPython.get();
        work = python.attach(py -> {
            py.exec(String.join("\n",
                    "import types, sys",
                    "trio_work = types.ModuleType('trio_work')",
                    "exec('''",
                    "import trio, sniffio",
                    "cancelled = []",
                    "async def double(x):",
                    "    await trio.sleep(0)",
                    "    return x * 2",
                    "async def library():",
                    "    return sniffio.current_async_library()",
                    "async def fail(message):",
                    "    await trio.sleep(0)",
                    "    raise ValueError(message)",
                    "async def sleep_and_record(tag):",
                    "    try:",
                    "        await trio.sleep(60)",
                    "    except trio.Cancelled:",
                    "        cancelled.append(tag)",
                    "        raise",
                    "''', trio_work.__dict__)",
                    "sys.modules['trio_work'] = trio_work"));
            return py.importModule("trio_work");
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

    @Test
    void runsCoroutinesSubmittedFromManyJavaThreads() throws Exception {
        try (EventLoop loop = EventLoop.start(python, "trio"); PyObject doubler = function("double");
             PyObject library = function("library")) {
            assertEquals("trio", loop.flavor());
            assertEquals("trio", loop.submit(String.class, library).get(30, TimeUnit.SECONDS));
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<Long>> results = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
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
    void aPythonExceptionFailsTheJavaFuture() throws Exception {
        try (EventLoop loop = EventLoop.start(python, "trio"); PyObject fail = function("fail")) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> loop.submit(fail, "trio boom").get(30, TimeUnit.SECONDS));
            PythonException cause = assertInstanceOf(PythonException.class, e.getCause());
            assertEquals("ValueError", cause.pythonType());
            assertEquals("trio boom", cause.pythonMessage());
        }
    }

    @Test
    void cancellingTheJavaFutureCancelsTheTrioTask() throws Exception {
        try (EventLoop loop = EventLoop.start(python, "trio"); PyObject sleeper = function("sleep_and_record")) {
            CompletableFuture<Object> future = loop.submit(sleeper, "trio-java-cancel");
            Thread.sleep(50);
            assertTrue(future.cancel(true));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cancelledInPython("trio-java-cancel") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(cancelledInPython("trio-java-cancel"));
        }
    }

    @Test
    void closingCancelsPendingWorkAndRefusesNewWork() throws Exception {
        EventLoop loop = EventLoop.start(python, "trio");
        PyObject sleeper = function("sleep_and_record");
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(loop.submit(sleeper, "trio-closed-" + i));
        }
        Thread.sleep(50);
        loop.close();
        for (CompletableFuture<Object> future : pending) {
            CancellationException e = assertThrows(CancellationException.class, () -> future.get(30, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        assertTrue(cancelledInPython("trio-closed-9"));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> loop.submit(sleeper, "late").get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().contains("is closed"), refused.getCause().getMessage());
        sleeper.close();
    }
}
