package dev.jawait.launcher;

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

    @PyFunction
    public static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
