package dev.jawait.bench;

import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Isolated interpreters (CPython 3.12+), each with its own GIL:
 * <ul>
 *   <li>{@code interpreters.cpu_bound.*}: a CPU-bound async handler (parse, total and hash a 10 KB
 *       JSON body) behind asyncio loops, driven by 2 Java client threads: requests per second
 *       served by 2 isolated interpreters against 1 ({@code speedup_2}), and against 2 loops in
 *       the main interpreter, which share its GIL;</li>
 *   <li>{@code interpreters.wake.asyncio.completions_per_s}: the wake benchmark
 *       ({@link WakeBenchmarks}) in an isolated interpreter, against the main one;</li>
 *   <li>{@code interpreters.create_ms}: making an isolated interpreter with jawait loaded and
 *       asyncio imported, against CPython doing the same alone ({@code _interpreters}).</li>
 * </ul>
 * On older Pythons the group says why it does not run.
 */
final class InterpreterBenchmarks {
    private InterpreterBenchmarks() {}

    private static final String HANDLER = "jawait_bench_interpreters_py.handle";
    private static final int CLIENTS = 2;
    /** Requests each client keeps in flight: enough to keep a loop busy while replies travel. */
    private static final int IN_FLIGHT = 4;

    static void run(Python python, Measure.Plan plan, Report report) throws Exception {
        String[] version = python.version().split("\\.");
        if (Integer.parseInt(version[0]) == 3 && Integer.parseInt(version[1]) < 12) {
            System.out.println("interpreters: skipped, isolated interpreters need CPython 3.12+ (this is "
                    + python.version() + "); run scripts/bench with JAWAIT_PYTHON set to one");
            return;
        }
        createMs(python, plan, report);
        wake(python, plan, report);
        cpuBound(python, plan, report);
    }

    private static void createMs(Python python, Measure.Plan plan, Report report) {
        PythonSources.load(python, "jawait_bench/interpreters.py", "jawait_bench_interpreters_py")
                .close();
        report.add(
                "baseline.cpython_isolated_create_ms",
                Measure.python(python, plan, "__import__('jawait_bench_interpreters_py').cpython_create_ms()"));
        report.add(
                "interpreters.create_ms",
                Measure.median(plan, () -> {
                    long start = System.nanoTime();
                    Python isolated = python.newIsolatedInterpreter();
                    isolated.run(py -> py.exec("import asyncio"));
                    double ms = (System.nanoTime() - start) / 1e6;
                    isolated.close();
                    return ms;
                }),
                "baseline.cpython_isolated_create_ms");
    }

    private static void wake(Python python, Measure.Plan plan, Report report) {
        report.add(
                "baseline.main_interpreter_wake_asyncio_completions_per_s",
                WakeBenchmarks.prepare(python, plan).apply(WakeBenchmarks.ASYNCIO_JAWAIT));
        try (Python isolated = python.newIsolatedInterpreter()) {
            report.add(
                    "interpreters.wake.asyncio.completions_per_s",
                    WakeBenchmarks.prepare(isolated, plan).apply(WakeBenchmarks.ASYNCIO_JAWAIT),
                    "baseline.main_interpreter_wake_asyncio_completions_per_s");
        }
    }

    private static void cpuBound(Python python, Measure.Plan plan, Report report) throws Exception {
        double seconds = plan.scale() < 1 ? 0.3 : 2.0;
        byte[] body = python.attach(py -> (byte[]) py.eval("__import__('jawait_bench_interpreters_py').request_body()")
                .as(byte[].class));
        List<Python> isolated = List.of(python.newIsolatedInterpreter(), python.newIsolatedInterpreter());
        List<EventLoop> loops = new ArrayList<>();
        try {
            for (Python interpreter : isolated) {
                PythonSources.load(interpreter, "jawait_bench/interpreters.py", "jawait_bench_interpreters_py")
                        .close();
                loops.add(EventLoop.start(interpreter, "asyncio"));
            }
            double one = Measure.median(plan, () -> requestsPerSecond(loops.subList(0, 1), body, seconds));
            double two = Measure.median(plan, () -> requestsPerSecond(loops, body, seconds));
            double shared;
            try (EventLoop first = EventLoop.start(python, "asyncio");
                    EventLoop second = EventLoop.start(python, "asyncio")) {
                shared = Measure.median(plan, () -> requestsPerSecond(List.of(first, second), body, seconds));
            }
            report.add("interpreters.cpu_bound.one_interpreter_per_s", one);
            report.add("baseline.cpu_bound.main_interpreter_two_loops_per_s", shared);
            report.add(
                    "interpreters.cpu_bound.two_interpreters_per_s",
                    two,
                    "interpreters.cpu_bound.one_interpreter_per_s",
                    "baseline.cpu_bound.main_interpreter_two_loops_per_s");
            report.add("interpreters.cpu_bound.speedup_2", two / one);
        } finally {
            loops.forEach(EventLoop::close);
            isolated.forEach(Python::close);
        }
    }

    /**
     * Requests per second over {@code seconds}: {@value #CLIENTS} client threads, client i sending
     * to {@code loops[i % loops.size()]}, each keeping {@value #IN_FLIGHT} requests in flight.
     */
    static double requestsPerSecond(List<EventLoop> loops, byte[] body, double seconds) {
        return requestsPerSecond(loops, HANDLER, body, seconds);
    }

    /** The same with another handler (a function of one bytes argument, "module.name"). */
    static double requestsPerSecond(List<EventLoop> loops, String handler, byte[] body, double seconds) {
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            EventLoop loop = loops.get(c % loops.size());
            Thread client = new Thread(
                    () -> {
                        List<CompletableFuture<Object>> inFlight = new ArrayList<>();
                        while (System.nanoTime() < deadline) {
                            for (int i = 0; i < IN_FLIGHT; i++) {
                                inFlight.add(loop.submit(handler, body));
                            }
                            for (CompletableFuture<Object> request : inFlight) {
                                request.orTimeout(60, TimeUnit.SECONDS).join();
                            }
                            completed.addAndGet(inFlight.size());
                            inFlight.clear();
                        }
                    },
                    "bench-client-" + c);
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            try {
                client.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return completed.get() / ((System.nanoTime() - start) / 1e9);
    }
}
