package dev.jawait.bench;

import dev.jawait.Python;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start-up of the jawait command from the distribution archive ({@code jawait -c pass}, the whole
 * process: shell script, JVM, Python, bootstrap, exit) against the python command it embeds
 * ({@code python -c pass}), run in turn, with and without the class data archive that jawait makes
 * on its first run. The runs share a cache directory of their own, made fresh for the run. Beside
 * them runs the floor that any start of Python in a JVM through JNA pays ({@link StartupFloor}), with
 * the distribution's class path and a class archive of its own.
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
            Path distribution = Path.of(command).toAbsolutePath().getParent().getParent();
            List<String> floor = floorCommand(distribution, python.libpython(), cache.resolve("floor-archive"));
            int rounds = plan.scale() < 1 ? 5 : 15;
            double[][] samples = new double[4][rounds];
            for (int i = 0; i < rounds; i++) { // in turn, so that the machine's drift affects all alike
                samples[0][i] = millis(pythonCommand, Map.of());
                samples[1][i] = millis(jawait, environment);
                samples[2][i] = millis(jawait, withoutArchive);
                samples[3][i] = millis(floor, Map.of());
            }
            report.add("baseline.python_startup_ms", median(samples[0]));
            report.add("baseline.jvm_jna_python_startup_ms", median(samples[3]), "baseline.python_startup_ms");
            report.add("launcher.startup_ms", median(samples[1]), "baseline.python_startup_ms");
            report.add("launcher.startup_without_class_archive_ms", median(samples[2]), "baseline.python_startup_ms");
        } finally {
            try (Stream<Path> files = Files.walk(cache)) {
                files.sorted((a, b) -> b.compareTo(a))
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * The {@link StartupFloor} command: the JDK running this benchmark with jawait's JVM options for
     * JNA, the distribution's jars (as jawait orders them) and this benchmark's, and a class archive
     * ({@code archive}: an AOT cache on JDK 25+, else AppCDS) that a first run makes here.
     */
    private static List<String> floorCommand(Path distribution, Path libpython, Path archive)
            throws IOException, InterruptedException, URISyntaxException {
        List<String> classPath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(distribution.resolve("lib"))) {
            jars.map(Path::toString)
                    .filter(name -> name.endsWith(".jar"))
                    .sorted()
                    .forEach(classPath::add);
        }
        classPath.add(Path.of(StartupFloor.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString());
        boolean aot = Runtime.version().feature() >= 25;
        List<String> command = new ArrayList<>(
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib"));
        Path jnaNative = distribution.resolve("lib/native/com/sun/jna/linux-x86-64");
        if (Files.isDirectory(jnaNative)) {
            command.add("-Djna.boot.library.path=" + jnaNative);
        }
        command.addAll(
                aot ? List.of("-Xlog:aot=off", "-Xlog:cds=off") : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        List<String> program = List.of(
                "-cp", String.join(File.pathSeparator, classPath), StartupFloor.class.getName(), libpython.toString());
        List<String> making = new ArrayList<>(command);
        making.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive);
        making.addAll(program);
        millis(making, Map.of());
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the start-up floor's class archive was not made: " + making);
        }
        command.add((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
        command.addAll(program);
        return command;
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
