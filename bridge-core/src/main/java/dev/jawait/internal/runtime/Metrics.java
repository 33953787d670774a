package dev.jawait.internal.runtime;

import java.util.function.IntSupplier;

/**
 * Where jawait's hot paths report what metrics need, when metrics are bound
 * ({@code dev.jawait.metrics.JawaitMetrics}); otherwise each report point costs one read of
 * {@link #sink}, which is null. Nothing here names Micrometer, which is optional.
 */
public final class Metrics {
    private Metrics() {}

    /** What records the reports; implemented over Micrometer meters. */
    public interface Sink {
        /** A Java thread waited {@code nanos} to take the GIL. */
        void gilWaited(long nanos);

        /** A loop's drain took {@code items} completions and actions in one wake. */
        void wakeBatch(int items);

        /** A Python exception reached Java, as a {@code PythonException} of Python type {@code type}. */
        void pythonException(String type);

        /** An event loop's wake channel opened; {@code awaiting} counts the Java futures its coroutines await. */
        void loopOpened(Object channel, String name, IntSupplier awaiting);

        void loopClosed(Object channel);

        /** A Java stream began feeding Python; {@code buffered} counts the items it holds for Python. */
        void streamOpened(Object stream, IntSupplier buffered);
    }

    /** The bound sink, or null. Set once, when metrics are bound (a plain field: it is read on hot paths). */
    public static Sink sink;
}
