package dev.jawait.signals;

import dev.jawait.Python;
import dev.jawait.PythonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Main programs run in child JVMs by {@link SignalTest}; each prints what the test checks. */
final class SignalChildren {
    private SignalChildren() {}

    /** Sends this JVM {@code signal} (such as "INT") now, from another thread. */
    static void signalSelfSoon(String signal) {
        signalSelfWhen(signal, () -> true);
    }

    /**
     * Sends this JVM {@code signal} from another thread once the Python code has created the file
     * {@code marker} (where it is ready for the signal), rather than after a delay that a busy machine
     * can outlast: a signal that arrives before Python's handler or {@code try} would end the run.
     */
    static void signalSelfWhenMarked(String signal, Path marker) {
        signalSelfWhen(signal, () -> Files.exists(marker));
    }

    /** Sends {@code signal} once {@code ready} holds, or after 60 s of waiting for it. */
    private static void signalSelfWhen(String signal, BooleanSupplier ready) {
        Thread sender = new Thread(
                () -> {
                    try {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (!ready.getAsBoolean() && System.nanoTime() < deadline) {
                            Thread.sleep(10);
                        }
                        new ProcessBuilder(
                                        "kill",
                                        "-s",
                                        signal,
                                        String.valueOf(ProcessHandle.current().pid()))
                                .inheritIO()
                                .start()
                                .waitFor();
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "signal-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** A file that does not exist yet, for {@link #signalSelfWhenMarked}. */
    static Path newMarker() {
        try {
            Path marker = Files.createTempFile("jawait-signal", ".ready");
            Files.delete(marker);
            marker.toFile().deleteOnExit();
            return marker;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pythonString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static void announceShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("JVM shutdown hook ran")));
    }

    /** By default SIGINT stays with the JVM, even after Python code restores the handler it sees (trio's probe). */
    static final class JvmKeepsSigint {
        public static void main(String[] args) throws InterruptedException {
            Python python = Python.builder().start();
            python.attachOnMainThread(py -> {
                py.exec("import signal\nseen = signal.getsignal(signal.SIGINT)\nprint('Python sees', repr(seen))\n"
                        + "print('restoring it returns', repr(signal.signal(signal.SIGINT, seen)), flush=True)");
                return null;
            });
            announceShutdown();
            signalSelfSoon("INT");
            Thread.sleep(30_000);
            System.out.println("SIGINT did not end the JVM");
        }
    }

    /** pythonHandlesSignals(true): SIGINT interrupts Python's main thread; after close() it is the JVM's again. */
    static final class PythonGetsSigint {
        public static void main(String[] args) throws InterruptedException {
            Python python = Python.builder().pythonHandlesSignals(true).start();
            Path marker = newMarker();
            signalSelfWhenMarked("INT", marker);
            try {
                python.attachOnMainThread(py -> {
                    py.exec("import signal, time\nprint('Python sees', signal.getsignal(signal.SIGINT).__name__)\n"
                            + "start = time.monotonic()\ntry:\n    open(" + pythonString(marker) + ", 'w').close()\n"
                            + "    time.sleep(30)\nfinally:\n"
                            + "    print('sleep ended early:', time.monotonic() - start < 30, flush=True)");
                    return null;
                });
            } catch (PythonException e) {
                System.out.println("raised " + e.pythonType());
            }
            python.close();
            announceShutdown();
            signalSelfSoon("INT");
            Thread.sleep(30_000);
            System.out.println("SIGINT did not end the JVM");
        }
    }

    /** A handler Python code installs for SIGTERM runs on its main thread; SIG_DFL gives SIGTERM back to the JVM. */
    static final class PythonHandlesSigtermThenGivesItBack {
        public static void main(String[] args) throws InterruptedException {
            Python python = Python.builder().start();
            Path marker = newMarker();
            signalSelfWhenMarked("TERM", marker);
            python.attachOnMainThread(py -> {
                py.exec(
                        String.join(
                                "\n",
                                "import signal, time, threading",
                                "def handler(signum, frame):",
                                "    print('handler ran on the main thread:', threading.current_thread() is threading.main_thread())",
                                "    raise InterruptedError",
                                "signal.signal(signal.SIGTERM, handler)",
                                "try:",
                                "    open(" + pythonString(marker) + ", 'w').close()",
                                "    time.sleep(30)",
                                "except InterruptedError:",
                                "    print('sleep interrupted')",
                                "print('restoring returns', signal.signal(signal.SIGTERM, signal.SIG_DFL).__name__, flush=True)"));
                return null;
            });
            announceShutdown();
            signalSelfSoon("TERM");
            Thread.sleep(30_000);
            System.out.println("SIGTERM did not end the JVM");
        }
    }

    /** The JVM's fault signals and jawait's wake signal cannot be handled by Python code; SIG_DFL leaves them be. */
    static final class FaultSignalsStayWithTheJvm {
        public static void main(String[] args) {
            Python python = Python.builder().start();
            python.attachOnMainThread(py -> {
                py.exec(String.join(
                        "\n",
                        "import _jawait, signal",
                        "for signum in (signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL, _jawait.wake_signal()):",
                        "    print(signal.Signals(signum).name, 'SIG_DFL ->', repr(signal.signal(signum, signal.SIG_DFL)))",
                        "    for handler in (lambda *a: None, signal.SIG_IGN):",
                        "        try:",
                        "            signal.signal(signum, handler)",
                        "            print('  taken!')",
                        "        except ValueError as e:",
                        "            print('  refused:', e)"));
                return null;
            });
            for (int i = 0; i < 20; i++) {
                System.gc(); // safepoints, which need the JVM's SIGSEGV handler
                python.run(py -> py.exec("pass"));
            }
            System.out.println("survived");
            python.close();
        }
    }
}
