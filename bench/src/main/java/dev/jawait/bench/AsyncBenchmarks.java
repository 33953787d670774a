package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.export.ModuleDefinition;
import java.util.concurrent.CompletableFuture;

/** Awaiting a ready Java future, and Java submitting coroutines to a loop. */
final class AsyncBenchmarks {
    private AsyncBenchmarks() {}

    private static final int AWAITS = 1_000_000;
    private static final int SUBMISSIONS = 100_000;
    private static final CompletableFuture<Object> DONE = CompletableFuture.completedFuture(null);

    static final ModuleDefinition MODULE = ModuleDefinition.builder("jawait_bench_async")
            .asyncFunction("ready", f -> f.backend("asyncio").body(args -> DONE))
            .asyncFunction("ready_sniffio", f -> f.backend("sniffio").body(args -> DONE))
            .build();

    static void run(Python python, Measure.Plan plan, Report report) {
        python.register(MODULE);
        python.run(py -> py.exec(String.join(
                "\n",
                "import asyncio, threading, time, jawait_bench_async",
                "async def ready():",
                "    return None",
                "async def await_loop(f, n):",
                "    start = time.perf_counter_ns()",
                "    for _ in range(n):",
                "        await f()",
                "    return (time.perf_counter_ns() - start) / n",
                "async def echo(i):",
                "    return i",
                "async def running_loop():",
                "    return asyncio.get_running_loop()",
                "def submit_threadsafe(loop, n):",
                "    # run_coroutine_threadsafe from a Python thread: the stock way to feed a loop from outside",
                "    result = []",
                "    def submit():",
                "        start = time.perf_counter()",
                "        futures = [asyncio.run_coroutine_threadsafe(echo(i), loop) for i in range(n)]",
                "        for f in futures:",
                "            f.result()",
                "        result.append(n / (time.perf_counter() - start))",
                "    thread = threading.Thread(target=submit)",
                "    thread.start()",
                "    thread.join()",
                "    return result[0]")));
        int awaits = plan.ops(AWAITS);
        report.add("baseline.await_ready_coroutine_ns", awaitLoop(python, plan, "ready", awaits));
        report.add(
                "await.ready_java_future_ns",
                awaitLoop(python, plan, "jawait_bench_async.ready", awaits),
                "baseline.await_ready_coroutine_ns");
        report.add(
                "await.ready_java_future_sniffio_ns",
                awaitLoop(python, plan, "jawait_bench_async.ready_sniffio", awaits),
                "baseline.await_ready_coroutine_ns");

        int submissions = plan.ops(SUBMISSIONS);
        Measure.Plan few = new Measure.Plan(1, Math.min(plan.rounds(), 5), plan.scale());
        try (EventLoop loop = EventLoop.start(python, "asyncio")) {
            PyObject echo = python.attach(py -> py.eval("echo"));
            PyObject runningLoop = python.attach(py -> py.eval("running_loop"));
            PyObject asyncioLoop = loop.submit(PyObject.class, runningLoop).join();
            report.add(
                    "baseline.run_coroutine_threadsafe_per_s",
                    Measure.median(
                            few,
                            () -> python.attach(py -> py.eval("submit_threadsafe")
                                    .call(asyncioLoop, submissions)
                                    .asDouble())));
            report.add(
                    "submit.asyncio.coroutines_per_s",
                    Measure.median(few, () -> {
                        long start = System.nanoTime();
                        CompletableFuture<?>[] all = new CompletableFuture<?>[submissions];
                        for (int i = 0; i < submissions; i++) {
                            all[i] = loop.submit(echo, i);
                        }
                        CompletableFuture.allOf(all).join();
                        return submissions / ((System.nanoTime() - start) / 1e9);
                    }),
                    "baseline.run_coroutine_threadsafe_per_s");
            python.run(py -> {
                echo.close();
                runningLoop.close();
                asyncioLoop.close();
            });
        }
    }

    private static double awaitLoop(Python python, Measure.Plan plan, String function, int awaits) {
        return Measure.python(python, plan, "asyncio.run(await_loop(" + function + ", " + awaits + "))");
    }
}
