package dev.jawait.lifecycle;

import dev.jawait.Python;
import dev.jawait.PythonStartupException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** Main programs run in child JVMs by {@link LifecycleTest}; each prints what the test checks. */
final class Children {
    private Children() {}

    /** Starts Python and reports the outcome. */
    static final class Start {
        public static void main(String[] args) {
            try (Python python = Python.builder().start()) {
                System.out.println("started " + python.version());
            } catch (PythonStartupException e) {
                System.out.println("refused: " + e.getMessage());
                System.exit(3);
            }
        }
    }

    /** close() runs atexit handlers, then everything is refused cleanly. */
    static final class CloseThenUse {
        public static void main(String[] args) {
            Python python = Python.builder().start();
            python.run(py -> py.exec("import atexit\natexit.register(lambda: print('atexit ran', flush=True))"));
            python.close();
            System.out.println("tryAttach after close: " + python.tryAttach(py -> "ran"));
            try {
                python.run(py -> py.exec("pass"));
            } catch (IllegalStateException e) {
                System.out.println("attach after close: " + e.getMessage());
            }
            try {
                Python.builder().start();
            } catch (PythonStartupException e) {
                System.out.println("restart: " + e.getMessage());
            }
            python.close(); // a second close does nothing
            System.out.println("done");
        }
    }

    /** close() waits for a thread that is running Python; attaches that start meanwhile are refused. */
    static final class CloseWaitsForWork {
        public static void main(String[] args) throws Exception {
            Python python = Python.builder().start();
            CountDownLatch working = new CountDownLatch(1);
            AtomicLong finishedAt = new AtomicLong();
            Thread worker = new Thread(() -> python.run(py -> {
                working.countDown();
                py.exec("import time\ntime.sleep(0.5)");
                finishedAt.set(System.nanoTime());
            }));
            worker.start();
            working.await();
            Thread closer = new Thread(python::close);
            closer.start();
            while (python.isRunning()) {
                Thread.onSpinWait();
            }
            Optional<String> during = python.tryAttach(py -> "ran");
            closer.join();
            long closedAt = System.nanoTime();
            System.out.println("tryAttach while closing: " + during);
            System.out.println(
                    "close waited for the worker: " + (finishedAt.get() != 0 && finishedAt.get() <= closedAt));
        }
    }

    /** System.exit with a Python thread busy: the JVM exits, buffered Python output is flushed. */
    static final class ExitWhileBusy {
        public static void main(String[] args) {
            Python python = Python.builder().start();
            python.run(py -> py.exec(String.join(
                    "\n",
                    "import sys, threading",
                    "def spin():",
                    "    while True:",
                    "        sum(range(1000))",
                    "threading.Thread(target=spin, daemon=True).start()",
                    "sys.stdout.write('buffered python output')")));
            System.out.println("exiting");
            System.exit(7);
        }
    }

    /** main returns while a non-daemon Python thread runs forever: the JVM still exits. */
    static final class ReturnWhilePythonThreadRuns {
        public static void main(String[] args) {
            Python python = Python.builder().start();
            python.run(py -> py.exec(String.join(
                    "\n",
                    "import threading, time",
                    "def forever():",
                    "    while True:",
                    "        time.sleep(0.05)",
                    "threading.Thread(target=forever).start()")));
            System.out.println("returning");
        }
    }

    /** A Java thread uses threading and asyncio, then close(): Python must not wait for that thread. */
    static final class CloseAfterJavaThreadUsedThreading {
        public static void main(String[] args) {
            Python python = Python.builder().start();
            python.run(py -> py.exec(String.join(
                    "\n",
                    "import asyncio, threading",
                    "print('main thread:', threading.main_thread().name, flush=True)",
                    "asyncio.run(asyncio.sleep(0))")));
            python.close();
            System.out.println("closed");
        }
    }

    /** PyObjects closed or collected after Python closed are harmless. */
    static final class ReferencesOutliveInterpreter {
        public static void main(String[] args) throws Exception {
            Python python = Python.builder().start();
            var kept = python.attach(py -> py.eval("[1, 2, 3]"));
            python.run(py -> {
                for (int i = 0; i < 1000; i++) {
                    py.eval("object()"); // forgotten
                }
            });
            python.close();
            kept.close();
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            System.out.println("survived");
        }
    }
}
