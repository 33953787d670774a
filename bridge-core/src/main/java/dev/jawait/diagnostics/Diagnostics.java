package dev.jawait.diagnostics;

import dev.jawait.internal.async.AsyncCalls;
import dev.jawait.internal.async.StreamSubscription;
import java.util.concurrent.Flow;

/**
 * Counters that jawait's own test suites read to check batching, backpressure and leaks: the
 * declared test tier between them and jawait's internals. Not part of jawait's API (the module
 * exports this package only to jawait's test modules); it may change in any release.
 */
public final class Diagnostics {
    private Diagnostics() {}

    /** How many times Java woke any event loop in this JVM (one wake serves a batch of completions). */
    public static long wakes() {
        return AsyncCalls.wakes();
    }

    /** Awaits of Java futures by Python coroutines still pending in this JVM. */
    public static int pendingJavaAwaits() {
        return AsyncCalls.livePendingCalls();
    }

    /**
     * The most items that {@code subscriber}, a subscriber jawait gave a Java publisher for a Python
     * {@code async for}, has buffered at once; -1 for any other subscriber.
     */
    public static int maxBuffered(Flow.Subscriber<?> subscriber) {
        return subscriber instanceof StreamSubscription s ? s.maxBuffered() : -1;
    }
}
