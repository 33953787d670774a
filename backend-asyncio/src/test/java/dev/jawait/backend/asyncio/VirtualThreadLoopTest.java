package dev.jawait.backend.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.testing.TestPython;
import dev.jawait.testing.Virtual;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Virtual threads (JDK 21+) waiting for Python coroutines on an asyncio loop: with {@code join()},
 * with Vert.x's {@code Future.await()}, and from a verticle deployed on virtual threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class VirtualThreadLoopTest {
    private final Python python = TestPython.get();
    private Vertx vertx;
    private EventLoop loop;

    @BeforeAll
    void start() {
        assumeTrue(Virtual.available(), "virtual threads need JDK 21+");
        python.run(py -> py.exec(String.join(
                "\n",
                "import sys, types",
                "work = types.ModuleType('vt_loop_work')",
                "exec('''",
                "import asyncio",
                "async def twice(n):",
                "    await asyncio.sleep(0.001)",
                "    return 2 * n",
                "''', work.__dict__)",
                "sys.modules[work.__name__] = work")));
        vertx = Vertx.vertx();
        loop = EventLoop.start(python, "asyncio");
    }

    @AfterAll
    void stop() throws Exception {
        if (loop != null) {
            loop.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void virtualThreadsJoinAndAwaitCoroutinesTheySubmit() throws Exception {
        int threads = 500;
        List<java.util.concurrent.Future<Long>> results = new ArrayList<>();
        ExecutorService executor = Virtual.perTaskExecutor();
        try {
            for (int i = 0; i < threads; i++) {
                long k = i;
                results.add(executor.submit(() -> k % 2 == 0
                        ? loop.submit(Long.class, "vt_loop_work.twice", k).join()
                        : loop.future(Long.class, "vt_loop_work.twice", k).await()));
            }
            long sum = 0;
            for (java.util.concurrent.Future<Long> result : results) {
                sum += result.get(60, TimeUnit.SECONDS);
            }
            assertEquals((long) threads * (threads - 1), sum);
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void aVirtualThreadVerticleAwaitsACoroutineAndCallsPython() throws Exception {
        CompletableFuture<List<Object>> seen = new CompletableFuture<>();
        vertx.deployVerticle(
                        new VerticleBase() {
                            @Override
                            public Future<?> start() {
                                Context context = Vertx.currentContext();
                                long doubled = loop.future(Long.class, "vt_loop_work.twice", 21)
                                        .await();
                                long sum = python.attach(
                                        py -> py.eval("sum(range(10))").asLong());
                                seen.complete(List.of(
                                        Virtual.isCurrentThreadVirtual(),
                                        doubled,
                                        sum,
                                        Vertx.currentContext() == context));
                                return Future.succeededFuture();
                            }
                        },
                        new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertEquals(List.of(true, 42L, 45L, true), seen.get(30, TimeUnit.SECONDS));
    }
}
