package dev.jawait.bench;

import dev.jawait.Python;
import dev.jawait.vertx.VertxModules;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs jawait's benchmarks, prints a table of figures with ratios against pure-Python baselines
 * measured in the same run, and writes them as one JSON object.
 *
 * <pre>
 * scripts/bench --out bench.json          # full run
 * scripts/bench --quick --out smoke.json  # short smoke run (CI)
 * scripts/bench --only wake               # one group: calls, async, wake, streams, submit, eventbus,
 *                                        # launcher, interpreters (CPython 3.12+)
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {}

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
                            + "[--only calls|async|wake|streams|submit|eventbus|launcher|interpreters]");
                    System.exit(2);
                }
            }
        }
        Report report = new Report();
        Map<String, String> run = new LinkedHashMap<>();
        try (Python python = Python.builder().discoverModules(false).module(new VertxModules()).start()) {
            run.put("python", python.version());
            run.put("java", System.getProperty("java.version"));
            run.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
            run.put("plan", plan.scale() < 1 ? "quick" : "full");
            python.register(WakeBenchmarks.MODULE); // before any isolated interpreter, which copies it
            System.out.println("jawait benchmarks on Python " + python.version() + " (" + python.executable()
                    + "), Java " + System.getProperty("java.version") + (plan.scale() < 1 ? ", quick run" : ""));
            if (only == null || only.equals("calls")) {
                CallBenchmarks.run(python, plan, report);
                JepReference.run(plan, report, python.executable());
            }
            if (only == null || only.equals("async")) {
                AsyncBenchmarks.run(python, plan, report);
            }
            if (only == null || only.equals("wake")) {
                WakeBenchmarks.run(python, plan, report);
            }
            if (only == null || only.equals("streams")) {
                StreamBenchmarks.run(python, plan, report);
            }
            if (only == null || only.equals("submit")) {
                SubmitBenchmarks.run(python, plan, report);
            }
            if (only == null || only.equals("eventbus")) {
                EventBusBenchmarks.run(python, plan, report);
            }
            if (only == null || only.equals("launcher")) {
                LauncherBenchmarks.run(python, plan, report);
            }
            if (only == null || only.equals("interpreters")) {
                InterpreterBenchmarks.run(python, plan, report);
            }
        }
        report.print();
        if (out != null) {
            report.write(out, run);
            System.out.println("written to " + out);
        }
    }
}
