package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A flood of Python coroutines submitted to an asyncio loop from outside it: one thread submits as
 * fast as it can for 2 s while a heartbeat task on the loop records the loop's longest stall. The
 * baseline is the same flood through asyncio's own {@code run_coroutine_threadsafe} from a Python
 * thread, on the same loop, in the same run. (Submission throughput is in {@link AsyncBenchmarks}.)
 */
final class SubmitBenchmarks {
    private SubmitBenchmarks() {}

    private static final double FLOOD_SECONDS = 2.0;

    static void run(Python python, Measure.Plan plan, Report report) throws Exception {
        PyObject module = PythonSources.load(python, "jawait_bench/submit.py", "jawait_bench_submit_py");
        double seconds = plan.scale() < 1 ? 0.5 : FLOOD_SECONDS;
        try (EventLoop loop = EventLoop.start(python, "asyncio");
                PyObject noop = python.attach(py -> module.getAttr("noop"));
                PyObject runningLoop = python.attach(py -> module.getAttr("running_loop"));
                PyObject loopObject = loop.submit(PyObject.class, runningLoop).get(10, TimeUnit.SECONDS)) {
            double[] baseline = python.attach(py -> {
                try (PyObject result = module.callMethod("flood_threadsafe", loopObject, seconds)) {
                    List<?> figures = result.as(List.class);
                    return new double[] {
                        ((Number) figures.get(1)).doubleValue() / ((Number) figures.get(0)).doubleValue(),
                        ((Number) figures.get(2)).doubleValue()
                    };
                }
            });
            report.add("baseline.run_coroutine_threadsafe_flood_max_stall_ms", baseline[1]);
            report.add("baseline.run_coroutine_threadsafe_flood_completed_during_pct", baseline[0] * 100);

            PyObject heartbeat = python.attach(py -> module.callMethod("Heartbeat"));
            PyObject beat = python.attach(py -> heartbeat.getAttr("run"));
            PyObject stop = python.attach(py -> module.getAttr("stop"));
            CompletableFuture<Object> beating = loop.submit(beat);
            List<CompletableFuture<Object>> submitted = new ArrayList<>();
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                submitted.add(loop.submit(noop));
            }
            long during = submitted.stream().filter(CompletableFuture::isDone).count();
            CompletableFuture.allOf(submitted.toArray(new CompletableFuture<?>[0]))
                    .get(120, TimeUnit.SECONDS);
            loop.submit(stop, heartbeat).get(10, TimeUnit.SECONDS);
            beating.get(10, TimeUnit.SECONDS);
            double stallMs = python.attach(py -> {
                try (PyObject stall = heartbeat.getAttr("max_stall")) {
                    return stall.asDouble() * 1000;
                }
            });
            report.add(
                    "submit.flood.max_loop_stall_ms", stallMs, "baseline.run_coroutine_threadsafe_flood_max_stall_ms");
            report.add(
                    "submit.flood.completed_during_pct",
                    100.0 * during / submitted.size(),
                    "baseline.run_coroutine_threadsafe_flood_completed_during_pct");
            report.add("submit.flood.submitted_per_s", submitted.size() / seconds);
            python.run(py -> {
                heartbeat.close();
                beat.close();
                stop.close();
            });
        }
    }
}
