package dev.jawait.launcher;

import dev.jawait.Python;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;

/** Loaded by name with --module-class in {@link LauncherTest}. */
@PyModule("stock")
public class StockModule {
    @PyFunction
    public static long add(long a, long b) {
        return a + b;
    }

    @PyFunction(doc = "A Java garbage collection: a safepoint, where the JVM relies on its SIGSEGV handler.")
    public static void collectGarbage() {
        System.gc();
    }

    @PyFunction(doc = "Starts a Java thread that runs Python code until Python refuses, as once the program has ended.")
    public static void callPythonFromAJavaThreadUntilRefused() {
        Python python = Python.current().orElseThrow();
        Thread caller = new Thread(() -> {
            long calls = 0;
            while (python.tryAttach(py -> py.eval("sum(range(1000))").asLong()).isPresent()) {
                calls++;
            }
            System.out.println("refused after " + (calls > 0 ? "some calls" : "none"));
        }, "python-caller");
        caller.start();
    }

    @PyFunction
    public static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
