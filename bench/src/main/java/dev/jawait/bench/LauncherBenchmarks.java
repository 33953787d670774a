package dev.jawait.bench;

import dev.jawait.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up of the jawait command from the distribution archive ({@code jawait -c pass}, the whole
 * process: shell script, JVM, Python, bootstrap, exit) against the python command it embeds
 * ({@code python -c pass}), run in turn, with and without the class data archive that jawait makes
 * on its first run. The runs share a cache directory of their own, made fresh for the run.
 */
final class LauncherBenchmarks {
    private LauncherBenchmarks() {}

    /** The jawait command to measure: the distribution's {@code bin/jawait}, which scripts/bench unpacks. */
    static final String COMMAND_PROPERTY = "jawait.bench.command";

    static void run(Python python, Measure.Plan plan, Report report) throws Exception {
        String command = System.getProperty(COMMAND_PROPERTY);
        if (command == null) {
            System.out.println(
                    "launcher: skipped (no -D" + COMMAND_PROPERTY + "=.../bin/jawait; scripts/bench gives it)");
            return;
        }
        Path cache = Files.createTempDirectory("jawait-bench-cache");
        try {
            List<String> jawait = List.of(command, "-c", "pass");
            List<String> pythonCommand = List.of(python.executable().toString(), "-c", "pass");
            Map<String, String> environment =
                    Map.of("JAWAIT_PYTHON", python.executable().toString(), "XDG_CACHE_HOME", cache.toString());
            millis(jawait, environment); // the first run: asks Python about itself, starts making the archive
            waitForClassArchive(cache.resolve("jawait/cds"));
            Map<String, String> withoutArchive = Map.of(
                    "JAWAIT_PYTHON",
                    python.executable().toString(),
                    "XDG_CACHE_HOME",
                    cache.toString(),
                    "JAWAIT_CDS",
                    "off");
            int rounds = plan.scale() < 1 ? 5 : 15;
            double[][] samples = new double[3][rounds];
            for (int i = 0; i < rounds; i++) { // in turn, so that the machine's drift affects all alike
                samples[0][i] = millis(pythonCommand, Map.of());
                samples[1][i] = millis(jawait, environment);
                samples[2][i] = millis(jawait, withoutArchive);
            }
            report.add("baseline.python_startup_ms", median(samples[0]));
            report.add("launcher.startup_ms", median(samples[1]), "baseline.python_startup_ms");
            report.add("launcher.startup_without_class_archive_ms", median(samples[2]), "baseline.python_startup_ms");
        } finally {
            try (Stream<Path> files = Files.walk(cache)) {
                files.sorted((a, b) -> b.compareTo(a))
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Milliseconds from starting {@code command} to its end; it must succeed. */
    private static double millis(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 60 s");
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed with exit status " + process.exitValue());
        }
        return millis;
    }

    /** Waits (up to 2 minutes) for the class data archive or AOT cache that the first run makes in the background. */
    private static void waitForClassArchive(Path directory) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    List<String> names =
                            files.map(p -> p.getFileName().toString()).toList();
                    // .jsa: an AppCDS archive (JDK 17-24); .aot: an AOT cache (JDK 25+)
                    if (names.stream().anyMatch(n -> n.endsWith(".jsa") || n.endsWith(".aot"))
                            && names.stream().noneMatch(n -> n.endsWith(".lock"))) {
                        return;
                    }
                    if (names.stream().anyMatch(n -> n.endsWith(".failed"))) {
                        throw new IllegalStateException("jawait could not make its class data archive in " + directory);
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("jawait made no class data archive in " + directory + " within 2 minutes");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
