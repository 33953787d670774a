package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.export.ModuleDefinition;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Waking Python loops from Java threads: N tasks each await a Java future that 4 Java threads
 * complete. Compared with pure Python resolving N parked tasks inside the loop (the floor), and with
 * pyo3-async's design, where each completion takes the GIL for one thread-safe loop call.
 */
final class WakeBenchmarks {
    private WakeBenchmarks() {}

    private static final int TASKS = 100_000;
    /** jawait's wake on asyncio, as {@link #prepare} measures it. */
    static final String ASYNCIO_JAWAIT = "asyncio.run(w.asyncio_jawait(%d))";

    private static final int COMPLETERS = 4;
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(COMPLETERS, r -> {
        Thread t = new Thread(r, "bench-completer");
        t.setDaemon(true);
        return t;
    });
    private static volatile CompletableFuture<?>[] futures = new CompletableFuture<?>[0];
    private static final AtomicLong COMPLETER_NANOS = new AtomicLong();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final AtomicLong COMPLETIONS = new AtomicLong();

    /** What {@code wake_prepared} starts: the per-wake completers that {@code prepare_wakes} set up. */
    private static volatile Runnable wakePrepared = () -> {};

    static final ModuleDefinition MODULE = ModuleDefinition.builder("jawait_bench_wake")
            .asyncFunction(
                    "pending",
                    f -> f.param("i", int.class).body(args -> {
                        CompletableFuture<Object> future = new CompletableFuture<>();
                        futures[args.getInt("i")] = future;
                        return future;
                    }))
            .function(
                    "complete_all",
                    f -> f.body(args -> {
                        completeAll();
                        return null;
                    }))
            .function(
                    "prepare_wakes",
                    f -> f.param("call", PyObject.class)
                            .param("callbacks", List.class)
                            .body(args -> {
                                prepareWakes(
                                        (PyObject) args.get("call"),
                                        (List<?>) args.get("callbacks"),
                                        args.py().python());
                                return null;
                            }))
            .function(
                    "wake_prepared",
                    f -> f.body(args -> {
                        wakePrepared.run();
                        return null;
                    }))
            .build();

    /** Completes every future from {@link #COMPLETERS} threads, timing the completing threads. */
    @SuppressWarnings("unchecked")
    private static void completeAll() {
        CompletableFuture<?>[] all = futures;
        int slice = (all.length + COMPLETERS - 1) / COMPLETERS;
        for (int t = 0; t < COMPLETERS; t++) {
            int from = t * slice;
            int to = Math.min(all.length, from + slice);
            THREADS.execute(() -> {
                // CPU time, not wall time: with 4 completers on few cores, wall time would count
                // the time a thread waits to be scheduled.
                long start = CPU.getCurrentThreadCpuTime();
                for (int i = from; i < to; i++) {
                    ((CompletableFuture<Object>) all[i]).complete((long) i);
                }
                COMPLETER_NANOS.addAndGet(CPU.getCurrentThreadCpuTime() - start);
                COMPLETIONS.addAndGet(to - from);
            });
        }
    }

    /**
     * pyo3-async's wake, made ready outside the timed part: per completion, a thread takes the GIL
     * and calls {@code call(callbacks[i], i)}.
     */
    private static void prepareWakes(PyObject call, List<?> callbacks, Python python) {
        PyObject target = call.newReference();
        List<PyObject> kept =
                callbacks.stream().map(c -> ((PyObject) c).newReference()).toList();
        wakePrepared = () -> {
            int slice = (kept.size() + COMPLETERS - 1) / COMPLETERS;
            AtomicLong remaining = new AtomicLong(COMPLETERS);
            for (int t = 0; t < COMPLETERS; t++) {
                int from = t * slice;
                int to = Math.min(kept.size(), from + slice);
                THREADS.execute(() -> {
                    for (int i = from; i < to; i++) {
                        int value = i;
                        python.run(py -> target.call(kept.get(value), value).close());
                    }
                    if (remaining.decrementAndGet() == 0) {
                        kept.forEach(PyObject::close);
                        target.close();
                    }
                });
            }
        };
    }

    /**
     * Loads the Python half into {@code python} (the main interpreter, which {@link #MODULE} is
     * registered in, or an isolated one made after) and returns the tasks per round and a measure of
     * {@code scenario} there: completions per second, the median of a few rounds, each from a
     * collected heap so that none inherits another's collection debt.
     */
    static Function<String, Double> prepare(Python python, Measure.Plan plan) {
        PythonSources.load(python, "jawait_bench/wake.py", "jawait_bench_wake_py")
                .close();
        int tasks = plan.ops(TASKS);
        futures = new CompletableFuture<?>[tasks];
        Measure.Plan few = new Measure.Plan(1, Math.min(plan.rounds(), 5), plan.scale());
        python.run(py -> py.exec("import asyncio, jawait_bench_wake_py as w"));
        return scenario -> Measure.python(python, few, String.format(scenario, tasks));
    }

    static void run(Python python, Measure.Plan plan, Report report) {
        Function<String, Double> rate = prepare(python, plan);
        python.run(py -> py.exec("import trio"));

        report.add("wake.asyncio.floor_per_s", rate.apply("asyncio.run(w.asyncio_floor(%d))"));
        report.add(
                "wake.asyncio.per_wake_gil_per_s",
                rate.apply("asyncio.run(w.asyncio_per_wake(%d))"),
                "wake.asyncio.floor_per_s");
        COMPLETER_NANOS.set(0);
        COMPLETIONS.set(0);
        report.add(
                "wake.asyncio.completions_per_s",
                rate.apply(ASYNCIO_JAWAIT),
                "wake.asyncio.floor_per_s",
                "wake.asyncio.per_wake_gil_per_s");
        report.add("wake.completer_ns_per_completion", COMPLETER_NANOS.get() / (double) COMPLETIONS.get());

        report.add("wake.trio.floor_per_s", rate.apply("trio.run(w.trio_floor, %d)"));
        report.add(
                "wake.trio.per_wake_gil_per_s", rate.apply("trio.run(w.trio_per_wake, %d)"), "wake.trio.floor_per_s");
        report.add(
                "wake.trio.completions_per_s",
                rate.apply("trio.run(w.trio_jawait, %d)"),
                "wake.trio.floor_per_s",
                "wake.trio.per_wake_gil_per_s");
    }
}
