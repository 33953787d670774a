package dev.jawait.vertx;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jawait} command (its Java main) running in a child JVM with this JVM's class path,
 * for tests that watch it run and then stop it: a signal, or a kill. Output is collected as it
 * comes; every wait is bounded.
 */
final class JawaitProcess implements AutoCloseable {
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final List<Thread> readers = new ArrayList<>();

    private JawaitProcess(Process process) {
        this.process = process;
        readers.add(read(process.getInputStream(), stdout));
        readers.add(read(process.getErrorStream(), stderr));
    }

    /** Starts {@code jawait ARGS} in {@code directory}, with extra JVM options. */
    static JawaitProcess start(Path directory, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(absoluteClassPath());
        String python = System.getProperty("jawait.python");
        if (python != null && !python.isBlank()) {
            command.add("-Djawait.python=" + python);
        }
        command.addAll(jvmOptions);
        command.add("dev.jawait.launcher.Main");
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).directory(directory.toFile()).start();
            process.getOutputStream().close();
            return new JawaitProcess(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Thread read(InputStream in, StringBuffer into) {
        Thread reader = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        }
                    } catch (IOException e) {
                        into.append("\n[reading failed: ").append(e).append("]\n");
                    }
                },
                "jawait-process-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    String stdout() {
        return stdout.toString();
    }

    String output() {
        return "--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }

    /** Waits until stdout contains {@code text}; false if the process ended or the time ran out first. */
    boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stdout.indexOf(text) >= 0) {
                return true;
            }
            if (!process.isAlive()) {
                joinReaders();
                return stdout.indexOf(text) >= 0;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Sends SIGTERM and waits for the exit; the status, or -1 if it had to be killed. */
    int terminate(Duration timeout) throws InterruptedException {
        process.toHandle().destroy(); // unlike Process.destroy(), leaves the output streams open to read to the end
        return awaitExit(timeout);
    }

    /** Waits for the process to end by itself; the status, or -1 if it had to be killed. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            return -1;
        }
        joinReaders();
        return process.exitValue();
    }

    /** SIGKILL, as a crash would end it. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        joinReaders();
    }

    private void joinReaders() throws InterruptedException {
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
