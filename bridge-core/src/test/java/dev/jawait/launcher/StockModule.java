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

    @PyFunction
    public static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
