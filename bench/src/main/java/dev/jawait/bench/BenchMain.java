package dev.jawait.bench;

import dev.jawait.Python;
import dev.jawait.vertx.VertxModules;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Runs jawait's benchmarks, prints a table of figures with ratios against pure-Python baselines
 * measured in the same run, and writes them as one JSON object.
 *
 * <pre>
 * scripts/bench --out bench.json          # full run
 * scripts/bench --quick --out smoke.json  # short smoke run (CI)
 * scripts/bench --only wake               # one group: calls, async, wake, streams, submit, eventbus,
 *                                        # launcher, interpreters (CPython 3.12+), freethreaded (3.13t)
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {}

    /** A group of benchmarks, which may throw anything. */
    private interface Group {
        void run() throws Exception;
    }

    /** Runs a group, then prints its figures and how long it took, so that a long run shows progress. */
    private static void group(String name, Report report, Group group) throws Exception {
        int mark = report.size();
        long start = System.nanoTime();
        System.out.println("== " + name + " ...");
        group.run();
        System.out.printf(Locale.ROOT, "== %s: %.0f s%n", name, (System.nanoTime() - start) / 1e9);
        report.print(mark);
        System.out.println();
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Path out = null;
        Measure.Plan plan = Measure.Plan.full();
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> plan = Measure.Plan.quick();
                case "--only" -> only = args[++i];
                default -> {
                    System.err.println("usage: bench [--quick] [--out FILE] "
                            + "[--only calls|async|wake|streams|submit|eventbus|launcher|interpreters|freethreaded]");
                    System.exit(2);
                }
            }
        }
        Report report = new Report();
        Measure.Plan chosen = plan;
        long started = System.nanoTime();
        Map<String, String> run = new LinkedHashMap<>();
        try (Python python = Python.builder()
                .discoverModules(false)
                .module(new VertxModules())
                .start()) {
            run.put("python", python.version());
            run.put("java", System.getProperty("java.version"));
            run.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
            run.put("plan", plan.scale() < 1 ? "quick" : "full");
            python.register(WakeBenchmarks.MODULE); // before any isolated interpreter, which copies it
            System.out.println("jawait benchmarks on Python " + python.version() + " (" + python.executable()
                    + "), Java " + System.getProperty("java.version") + (plan.scale() < 1 ? ", quick run" : ""));
            if (only == null || only.equals("calls")) {
                group("calls", report, () -> {
                    CallBenchmarks.run(python, chosen, report);
                    JepReference.run(chosen, report, python.executable());
                });
            }
            if (only == null || only.equals("async")) {
                group("async", report, () -> {
                    AsyncBenchmarks.run(python, chosen, report);
                });
            }
            if (only == null || only.equals("wake")) {
                group("wake", report, () -> {
                    WakeBenchmarks.run(python, chosen, report);
                });
            }
            if (only == null || only.equals("streams")) {
                group("streams", report, () -> {
                    StreamBenchmarks.run(python, chosen, report);
                });
            }
            if (only == null || only.equals("submit")) {
                group("submit", report, () -> {
                    SubmitBenchmarks.run(python, chosen, report);
                });
            }
            if (only == null || only.equals("eventbus")) {
                group("eventbus", report, () -> {
                    EventBusBenchmarks.run(python, chosen, report);
                });
            }
            if (only == null || only.equals("launcher")) {
                group("launcher", report, () -> {
                    LauncherBenchmarks.run(python, chosen, report);
                });
            }
            if (only == null || only.equals("freethreaded")) {
                group("freethreaded", report, () -> FreeThreadedBenchmarks.run(python, chosen, report));
            }
            if (only == null || only.equals("interpreters")) {
                group("interpreters", report, () -> {
                    InterpreterBenchmarks.run(python, chosen, report);
                });
            }
        }
        long minutes = (System.nanoTime() - started) / 60_000_000_000L;
        long seconds = (System.nanoTime() - started) / 1_000_000_000L % 60;
        System.out.printf(
                Locale.ROOT,
                "%n== all figures (%s run, %d min %02d s)%n",
                only == null ? "full" : only,
                minutes,
                seconds);
        report.print();
        if (out != null) {
            report.write(out, run);
            System.out.println("written to " + out);
        }
    }
}
