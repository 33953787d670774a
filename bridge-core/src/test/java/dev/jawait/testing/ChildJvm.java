package dev.jawait.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM with this JVM's class path, for cases that end a JVM or could
 * crash it (start-up errors, shutdown, exit), so that one failure fails one test, not the run.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** What a child JVM did; {@code timedOut} means it was killed after the deadline. */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
        public String output() {
            return "exit " + exitCode + (timedOut ? " (timed out)" : "") + "\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }
    }

    public static Result run(Class<?> main, Map<String, String> environment, List<String> jvmOptions, String... args) {
        return run(main.getName(), environment, jvmOptions, 120, args);
    }

    public static Result run(
            String mainClass,
            Map<String, String> environment,
            List<String> jvmOptions,
            long timeoutSeconds,
            String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        String python = System.getProperty("jawait.python");
        if (python != null && !python.isBlank()) {
            command.add("-Djawait.python=" + python);
        }
        command.add("--enable-native-access=ALL-UNNAMED"); // JNA's native access, without JDK 24+'s warning
        command.addAll(jvmOptions);
        command.add(mainClass);
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("jawait-child", ".out");
            Path err = Files.createTempFile("jawait-child", ".err");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                environment.forEach((k, v) -> {
                    if (v == null) {
                        builder.environment().remove(k); // null: unset the variable
                    } else {
                        builder.environment().put(k, v);
                    }
                });
                Process process = builder.start();
                process.getOutputStream().close();
                boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
                if (!finished) {
                    process.destroyForcibly().waitFor();
                }
                return new Result(
                        finished ? process.exitValue() : -1,
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8),
                        !finished);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
