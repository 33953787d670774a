package dev.jawait.internal.async;

import dev.jawait.export.Cancellation;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.ReferenceClaim;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** The start of an async call: what the Java method returned, as a result now or a pending await. */
public final class AsyncCalls {
    private AsyncCalls() {}

    private static final PyFunctionRef PENDING = new PyFunctionRef("jawait._async", "Pending");

    /**
     * A new {@code jawait._async.Pending} reference if {@code future} is not complete yet (the
     * pending call then owns {@code borrowed} and {@code cancellation}), or 0 if it is: take its
     * outcome with {@link #completedResult}. GIL held.
     */
    public static long start(Object future, Cancellation cancellation, List<ReferenceClaim> borrowed, String function) {
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
     * and {@code cancellation} until the generator closes it. {@code producer}: the executor that
     * ran the body ({@link #runOn}), where a ReadStream is connected; null if it ran on this thread.
     */
    public static long startStream(
            Object stream,
            Executor producer,
            int prefetch,
            Cancellation cancellation,
            List<ReferenceClaim> borrowed,
            String function) {
        return dev.jawait.internal.convert.JavaObjects.wrap(
                StreamSubscription.of(stream, producer, prefetch, cancellation, borrowed, function));
    }

    /**
     * Runs an async or stream function's {@code body} on {@code executor}: the returned future
     * completes with what the future that the body returns completes with, or, for a stream, with
     * the stream (the body may return it or a future of it). A ReadStream is paused on the
     * executor's thread as it is returned, so that it stays paused until Python subscribes. Cancelling the returned
     * future before the body ran means it never runs; after, it cancels the body's future.
     * Throws naming the function if the executor refuses the task.
     */
    public static CompletableFuture<Object> runOn(Executor executor, Body body, boolean stream, String function) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Runnable task = () -> {
            if (outcome.isDone()) {
                return; // cancelled before it ran
            }
            try {
                Object returned = body.run();
                if (stream && !(returned instanceof CompletionStage<?> || OptionalVertx.isFuture(returned))) {
                    deliver(outcome, returned);
                    return;
                }
                SourceFuture source = SourceFuture.of(returned, function);
                outcome.whenComplete((value, failure) -> {
                    if (outcome.isCancelled()) {
                        source.cancel();
                    }
                });
                source.onComplete((value, failure) -> {
                    if (failure != null) {
                        outcome.completeExceptionally(failure);
                        return;
                    }
                    try {
                        deliver(outcome, value);
                    } catch (RuntimeException e) { // a ReadStream that refuses pause(): Python must not wait for ever
                        outcome.completeExceptionally(e);
                    }
                });
            } catch (Throwable failure) {
                outcome.completeExceptionally(failure);
            }
        };
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(function + "(): its executor refused to run it: " + e.getMessage(), e);
        }
        return outcome;
    }

    /** A function's Java body, bound to its arguments. */
    @FunctionalInterface
    public interface Body {
        Object run() throws Throwable;
    }

    private static void deliver(CompletableFuture<Object> outcome, Object value) {
        if (OptionalVertx.isReadStream(value)) {
            VertxSupport.pause(value);
        }
        outcome.complete(value);
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
