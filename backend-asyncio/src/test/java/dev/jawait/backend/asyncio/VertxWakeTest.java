package dev.jawait.backend.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.testing.TestPython;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wake path never makes a Java thread wait for the GIL: a Vert.x event loop completes 10k
 * futures that Python coroutines await while the Python loop thread is busy with CPU-bound Python
 * for 2 s, and all of that finishes before the Python side is done (no GIL wait), with Vert.x's
 * blocked-thread checker silent. The checker reports a task that runs for more than 1 s: waiting for
 * the GIL would take up to the 2 s Python is busy, while 10k completions on a busy machine may
 * take a few hundred milliseconds.
 */
@Timeout(120)
class VertxWakeTest {
    private static final int COMPLETIONS = 10_000;
    private static final Promise<?>[] PROMISES = new Promise<?>[COMPLETIONS];
    private static final CountDownLatch PARKED = new CountDownLatch(1);
    private static volatile boolean completionsDone;

    private static final ModuleDefinition MODULE = ModuleDefinition.builder("vertx_wake")
            .asyncFunction(
                    "wait",
                    f -> f.param("i", int.class).backend("asyncio").body(args -> {
                        Promise<Object> promise = Promise.promise();
                        PROMISES[args.getInt("i")] = promise;
                        return promise.future();
                    }))
            .function(
                    "parked",
                    f -> f.body(args -> {
                        PARKED.countDown();
                        return null;
                    }))
            .function("completions_done", f -> f.body(args -> completionsDone))
            .build();

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
        Logger.getLogger("").addHandler(CAPTURE);
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(1000)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    @Test
    void completionsFromAVertxEventLoopNeverWaitForTheGil() throws Exception {
        Python python = TestPython.get();
        python.register(MODULE);
        PyObject scenario = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import asyncio, time, types, sys",
                    "vertx_wake_scenario = types.ModuleType('vertx_wake_scenario')",
                    "exec('''",
                    "import asyncio, time, vertx_wake",
                    "async def scenario(n, busy_seconds):",
                    "    tasks = [asyncio.create_task(vertx_wake.wait(i)) for i in range(n)]",
                    "    await asyncio.sleep(0.1)  # every task parked on its Java future",
                    "    vertx_wake.parked()",
                    "    end = time.perf_counter() + busy_seconds",
                    "    while time.perf_counter() < end:  # CPU-bound, never yields to the loop",
                    "        sum(range(100))",
                    "    done_while_busy = vertx_wake.completions_done()",
                    "    results = await asyncio.gather(*tasks)",
                    "    return [done_while_busy, sum(results)]",
                    "''', vertx_wake_scenario.__dict__)"));
            return py.eval("vertx_wake_scenario.scenario");
        });
        try (EventLoop loop = EventLoop.start(python, "asyncio")) {
            var outcome = loop.submit(List.class, scenario, COMPLETIONS, 2.0);
            assertTrue(PARKED.await(60, TimeUnit.SECONDS));
            Context context = vertx.getOrCreateContext();
            CountDownLatch completed = new CountDownLatch(1);
            context.runOnContext(v -> {
                for (int i = 0; i < COMPLETIONS; i++) {
                    @SuppressWarnings("unchecked")
                    Promise<Object> promise = (Promise<Object>) PROMISES[i];
                    promise.complete((long) i);
                }
                completionsDone = true;
                completed.countDown();
            });
            assertTrue(completed.await(60, TimeUnit.SECONDS));
            List<?> result = outcome.get(60, TimeUnit.SECONDS);
            assertEquals(true, result.get(0), "the event loop finished its 10k completions while Python held the GIL");
            assertEquals((long) COMPLETIONS * (COMPLETIONS - 1) / 2, result.get(1));
        } finally {
            python.run(py -> scenario.close());
        }
        assertEquals(List.of(), BLOCKED_WARNINGS);
    }

    @Test
    void theBlockedThreadCheckerDoesReportABlockedEventLoop() throws Exception {
        // Control: the checker is live in this JVM, so its silence above means something.
        CountDownLatch done = new CountDownLatch(1);
        vertx.getOrCreateContext().runOnContext(v -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        assertTrue(done.await(30, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (BLOCKED_WARNINGS.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(BLOCKED_WARNINGS.isEmpty());
        BLOCKED_WARNINGS.clear();
    }
}
