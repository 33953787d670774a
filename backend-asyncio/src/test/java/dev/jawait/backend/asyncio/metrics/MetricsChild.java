package dev.jawait.backend.asyncio.metrics;

import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.metrics.JawaitMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A child JVM with jawait's metrics bound: does measured work and prints what the meters read. */
public final class MetricsChild {
    private MetricsChild() {}

    private static final List<CompletableFuture<Object>> WAITING = new ArrayList<>();
    private static final SubmissionPublisher<Long> ITEMS = new SubmissionPublisher<>();

    public static void main(String[] args) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new JawaitMetrics().bindTo(registry);
        Python python = Python.builder().discoverModules(false).start();
        python.register(ModuleDefinition.builder("measured")
                .asyncFunction(
                        "wait",
                        f -> f.body(a -> {
                            CompletableFuture<Object> future = new CompletableFuture<>();
                            synchronized (WAITING) {
                                WAITING.add(future);
                            }
                            return future;
                        }))
                .streamFunction("items", f -> f.body(a -> ITEMS))
                .build());
        python.run(py -> py.exec(String.join(
                "\n",
                "import asyncio, time, measured",
                "async def wait_all(n):",
                "    return sum(await asyncio.gather(*(measured.wait() for _ in range(n))))",
                "async def fail():",
                "    raise ValueError('measured')",
                "async def first_item():",
                "    global stream",
                "    stream = measured.items()",
                "    return await stream.__anext__()",
                "def busy(seconds):",
                "    end = time.perf_counter() + seconds",
                "    while time.perf_counter() < end:",
                "        pass")));
        try (EventLoop loop = EventLoop.start(python, "asyncio")) {
            // Ten coroutines await Java futures: the loop's gauge counts them until they complete.
            CompletableFuture<Object> all = loop.submit("__main__.wait_all", 10);
            waitFor(() -> WAITING.size() == 10);
            waitFor(() -> registry.get("jawait.loop.futures.pending").gauge().value() == 10);
            System.out.println("pending per loop while waiting: "
                    + registry.get("jawait.loop.futures.pending").gauge().value());
            System.out.println("pending in all while waiting: "
                    + registry.get("jawait.futures.pending").gauge().value());
            synchronized (WAITING) {
                WAITING.forEach(future -> future.complete(1L));
            }
            System.out.println("sum: " + all.get(60, TimeUnit.SECONDS));
            System.gc(); // the gauge must hold what it reads: a weakly held supplier reads NaN after a GC
            System.out.println("pending per loop after: "
                    + registry.get("jawait.loop.futures.pending").gauge().value());
            System.out.println("wake batches: "
                    + (registry.get("jawait.wake.batch.size").summary().count() > 0));

            // A Python exception that reaches Java.
            CompletableFuture<Object> failed = loop.submit("__main__.fail");
            failed.handle((v, e) -> null).get(60, TimeUnit.SECONDS);
            System.out.println("ValueErrors: "
                    + registry.get("jawait.python.exceptions")
                            .tag("type", "builtins.ValueError")
                            .counter()
                            .count());

            // Items a Java stream holds while Python does not take them.
            CompletableFuture<Object> first = loop.submit("__main__.first_item");
            waitFor(ITEMS::hasSubscribers);
            ITEMS.submit(0L);
            System.out.println("first item: " + first.get(60, TimeUnit.SECONDS));
            for (long i = 1; i <= 5; i++) {
                ITEMS.submit(i);
            }
            waitFor(() -> registry.get("jawait.stream.buffered").gauge().value() == 5);
            System.out.println("buffered: "
                    + registry.get("jawait.stream.buffered").gauge().value());

            // A thread that waits for the GIL while Python runs on another.
            CountDownLatch holding = new CountDownLatch(1);
            Thread busy = new Thread(() -> python.run(py -> {
                holding.countDown();
                py.exec("busy(0.3)");
            }));
            busy.start();
            holding.await(); // this thread's attach below then waits until busy lets go of the GIL
            python.run(py -> {});
            busy.join();
            System.out.println("waited for the GIL: "
                    + (registry.get("jawait.gil.wait").timer().max(TimeUnit.MILLISECONDS) > 0));

            // Loops of one name share a gauge, tagged with that name (never an address).
            synchronized (WAITING) {
                WAITING.clear();
            }
            try (EventLoop one = EventLoop.start(python, "asyncio", "pricing");
                    EventLoop other = EventLoop.start(python, "asyncio", "pricing")) {
                CompletableFuture<Object> a = one.submit("__main__.wait_all", 2);
                CompletableFuture<Object> b = other.submit("__main__.wait_all", 3);
                waitFor(() -> WAITING.size() == 5);
                waitFor(() -> registry.get("jawait.loop.futures.pending")
                                .tag("loop", "pricing")
                                .gauge()
                                .value()
                        == 5);
                System.out.println("loop tags: "
                        + registry.find("jawait.loop.futures.pending").gauges().stream()
                                .map(g -> g.getId().getTag("loop"))
                                .sorted()
                                .toList());
                System.out.println("pending for pricing: "
                        + registry.get("jawait.loop.futures.pending")
                                .tag("loop", "pricing")
                                .gauge()
                                .value());
                synchronized (WAITING) {
                    WAITING.forEach(future -> future.complete(1L));
                }
                a.get(10, TimeUnit.SECONDS);
                b.get(10, TimeUnit.SECONDS);
            }
        }
        System.out.println("loop gauge removed: "
                + registry.find("jawait.loop.futures.pending").gauges().isEmpty());
        python.close();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
