package dev.jawait.internal.async;

import dev.jawait.PyObject;
import dev.jawait.export.Cancellation;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One await of a Java future by a Python coroutine, from the moment the future turned out not to
 * be complete yet.
 *
 * <p>States: WAITING (Python has not parked yet) -> ATTACHED (parked on a loop's channel) ->
 * COMPLETED (queued on that channel, to be delivered exactly once) or CANCELLED (Python gave up
 * first). The COMPLETED transition happens inside {@link LoopChannel#complete}, so COMPLETED always
 * means "queued on an open channel": a trio abort that finds it can safely answer FAILED, knowing
 * one reschedule will follow.
 */
final class PendingCall {
    private static final int WAITING = 0, ATTACHED = 1, COMPLETED = 2, CANCELLED = 3;
    /** Awaits not yet delivered, cancelled or discarded: what a leak check looks at. */
    private static final AtomicInteger LIVE = new AtomicInteger();

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final SourceFuture source;
    private final Cancellation cancellation;
    private final List<PyObject> borrowedArguments;
    private final String function;
    private LoopChannel channel;
    private PyObject waiter;
    private volatile Object result;
    private volatile Throwable failure;

    PendingCall(SourceFuture source, Cancellation cancellation, List<PyObject> borrowedArguments, String function) {
        this.source = source;
        this.cancellation = cancellation;
        this.borrowedArguments = borrowedArguments;
        this.function = function;
        LIVE.incrementAndGet();
    }

    /** How many awaits are pending in this JVM (parked or about to be). */
    static int live() {
        return LIVE.get();
    }

    String function() {
        return function;
    }

    /** Python parked on {@code channel}: {@code waiter} (a future or task) is what the delivery resumes. */
    void attach(LoopChannel channel, PyObject waiter) {
        if (!state.compareAndSet(WAITING, ATTACHED)) {
            waiter.close();
            throw new IllegalStateException(function + "(): this await was already parked or cancelled");
        }
        this.channel = channel;
        this.waiter = waiter;
        source.onComplete((value, error) -> {
            result = value;
            failure = error;
            channel.complete(this);
        });
    }

    /** ATTACHED -> COMPLETED, under the channel's guard. */
    boolean markCompleted() {
        return state.compareAndSet(ATTACHED, COMPLETED);
    }

    Object result() {
        return result;
    }

    Throwable failure() {
        return failure;
    }

    /** Hands the waiter over (to a delivery batch) and releases the call's arguments. GIL held. */
    PyObject takeWaiter() {
        PyObject w = waiter;
        waiter = null;
        releaseArguments();
        return w;
    }

    /**
     * Python stopped waiting (task cancelled, coroutine closed). Returns true if that happened
     * before completion, cancelling the Java side; false if a completion is already queued. Called
     * on the loop thread with the GIL, which is released while Java cancellation code runs.
     */
    boolean cancel() {
        if (!state.compareAndSet(ATTACHED, CANCELLED) && !state.compareAndSet(WAITING, CANCELLED)) {
            return false;
        }
        PyObject w = waiter;
        waiter = null;
        if (w != null) {
            w.close();
        }
        releaseArguments();
        ThreadAttachment attachment = ThreadAttachment.current();
        ThreadAttachment.Suspended suspended = attachment.detach(); // cancel(true) and hooks run Java code
        RuntimeException hookFailure;
        try {
            source.cancel();
            hookFailure = cancellation == null ? null : Bridge.cancellations().cancel(cancellation);
        } finally {
            attachment.reattach(suspended);
        }
        if (hookFailure != null) {
            throw hookFailure;
        }
        return true;
    }

    /** The loop ended while this call waited: releases it unless it was cancelled meanwhile. Any thread. */
    void discardIfAttached() {
        if (state.compareAndSet(ATTACHED, CANCELLED)) {
            discard();
        }
    }

    /** Nothing will resume the waiter: releases it (at once with the GIL, else at the next attach). */
    private void discard() {
        PyObject w = waiter;
        waiter = null;
        if (w != null) {
            w.close();
        }
        releaseArguments();
    }

    /** Ends the call's life: every path (delivery, cancellation, discard) comes here exactly once. */
    private void releaseArguments() {
        for (PyObject argument : borrowedArguments) {
            argument.close();
        }
        LIVE.decrementAndGet();
    }
}
