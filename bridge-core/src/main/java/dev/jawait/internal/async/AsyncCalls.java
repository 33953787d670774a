package dev.jawait.internal.async;

import dev.jawait.PyObject;
import dev.jawait.export.Cancellation;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import java.util.List;

/** The start of an async call: what the Java method returned, as a result now or a pending await. */
public final class AsyncCalls {
    private AsyncCalls() {}

    private static final PyFunctionRef PENDING = new PyFunctionRef("jawait._async", "Pending");

    /**
     * A new {@code jawait._async.Pending} reference if {@code future} is not complete yet (the
     * pending call then owns {@code borrowed} and {@code cancellation}), or 0 if it is: take its
     * outcome with {@link #completedResult}. GIL held.
     */
    public static long start(Object future, Cancellation cancellation, List<PyObject> borrowed, String function) {
        SourceFuture source = SourceFuture.of(future, function);
        if (source.isDone()) {
            return 0;
        }
        return pending(new PendingCall(new FutureAwait(source, cancellation), borrowed, function));
    }

    /** A new reference to the {@code jawait._async.Pending} that Python parks on for {@code call}. */
    static long pending(PendingCall call) {
        long id = ToPython.integer(call.id());
        try {
            return PyCalls.call(PENDING.get(), id);
        } catch (RuntimeException | Error e) {
            call.cancel();
            throw e;
        } finally {
            CPython.Py_DecRef(id);
        }
    }

    /**
     * The start of a stream function's async generator: a new reference to the stream handle
     * ({@code jawait.JavaObject} around a {@link StreamSubscription}), which owns {@code borrowed}
     * and {@code cancellation} until the generator closes it.
     */
    public static long startStream(Object stream, int prefetch, Cancellation cancellation, List<PyObject> borrowed,
                                   String function) {
        return dev.jawait.internal.convert.JavaObjects.wrap(
                StreamSubscription.of(stream, prefetch, cancellation, borrowed, function));
    }

    /** How many times Java woke an event loop in this JVM, for tests of batching. */
    public static long wakes() {
        return LoopChannel.wakes();
    }

    /** Awaits of Java futures still pending in this JVM, for leak checks in tests. */
    public static int livePendingCalls() {
        return PendingCall.live();
    }

    /** The result of a future that {@link #start} found complete; its failure is thrown as is. */
    public static Object completedResult(Object future, String function) throws Throwable {
        SourceFuture source = SourceFuture.of(future, function);
        Throwable failure = source.failure();
        if (failure != null) {
            throw failure;
        }
        return source.result();
    }
}
