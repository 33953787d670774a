package dev.jawait.internal.async;

import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.Metrics;
import dev.jawait.internal.runtime.ReferenceClaim;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One await by Python of something Java delivers ({@link Awaited}: a future's outcome, a stream's
 * next batch), from the moment it turned out not to be ready yet.
 *
 * <p>States: WAITING (Python has not parked yet) -> ATTACHED (parked on a loop's channel) ->
 * COMPLETED (queued on that channel, to be delivered exactly once) or CANCELLED (Python gave up
 * first). The COMPLETED transition happens inside {@link LoopChannel#complete}, so COMPLETED always
 * means "queued on an open channel": a trio abort that finds it can safely answer FAILED, knowing
 * one reschedule will follow.
 */
final class PendingCall {
    private static final int WAITING = 0, ATTACHED = 1, COMPLETED = 2, CANCELLED = 3;
    private static final AtomicLong IDS = new AtomicLong();
    /** Awaits not yet delivered, cancelled or discarded, by the id Python holds (a jawait._async.Pending). */
    private static final ConcurrentHashMap<Long, PendingCall> LIVE = new ConcurrentHashMap<>();

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final long id = IDS.incrementAndGet();
    private final Awaited awaited;
    private final List<ReferenceClaim> borrowedArguments;
    private final String function;
    private long waiter; // an owned reference once attached, 0 after it was handed on or released
    private volatile LoopChannel channel; // where it is parked, once attached
    private volatile boolean counted; // counted by its channel for metrics

    PendingCall(Awaited awaited, List<ReferenceClaim> borrowedArguments, String function) {
        this.awaited = awaited;
        this.borrowedArguments = borrowedArguments;
        this.function = function;
        LIVE.put(id, this);
    }

    /** How many awaits are pending in this JVM (parked or about to be). */
    static int live() {
        return LIVE.size();
    }

    /** The pending call Python knows by {@code id}, or null once it ended. */
    static PendingCall byId(long id) {
        return LIVE.get(id);
    }

    long id() {
        return id;
    }

    String function() {
        return function;
    }

    /**
     * Python parked on {@code channel}: {@code waiter} (a future or task, borrowed) is what the
     * delivery resumes. GIL held.
     */
    void attach(LoopChannel channel, long waiter) {
        if (state.get() != WAITING) {
            throw new IllegalStateException(function + "(): this await was already parked or cancelled");
        }
        CPython.Py_IncRef(waiter);
        this.waiter = waiter;
        this.channel = channel;
        if (Metrics.sink != null) {
            counted = true;
            channel.countAwaiting(true);
        }
        state.set(ATTACHED); // after the waiter: the completion path reads it
        awaited.whenReady(this, channel);
    }

    /** ATTACHED -> COMPLETED, under the channel's guard. */
    boolean markCompleted() {
        return state.compareAndSet(ATTACHED, COMPLETED);
    }

    /** The outcome for the waiter, converted: a new reference, or throws the failure. Loop thread, GIL held. */
    long outcome() throws Throwable {
        return awaited.outcome();
    }

    /** Hands the waiter's reference over (to a delivery batch) and ends the call. GIL held. */
    long takeWaiter() {
        long w = waiter;
        waiter = 0;
        releaseArguments();
        return w;
    }

    /**
     * Python stopped waiting (task cancelled, coroutine closed). Returns false only if a completion
     * is queued, so the waiter will still be resumed; true otherwise, having cancelled the Java side
     * if that was still to do. Called on the loop thread with the GIL, which is released while Java
     * cancellation code runs.
     */
    boolean cancel() {
        if (!state.compareAndSet(ATTACHED, CANCELLED) && !state.compareAndSet(WAITING, CANCELLED)) {
            return state.get() != COMPLETED; // CANCELLED: discarded when its loop ended, nothing will resume it
        }
        long w = waiter;
        waiter = 0;
        if (w != 0) {
            CPython.Py_DecRef(w);
        }
        releaseArguments();
        awaited.abandon();
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
        long w = waiter;
        waiter = 0;
        if (w != 0) {
            ThreadAttachment attachment = ThreadAttachment.current();
            if (attachment.holdsGil() && attachment.interpreter() == channel.interpreter()) {
                CPython.Py_DecRef(w);
            } else {
                channel.interpreter().deferDecref(w);
            }
        }
        releaseArguments();
    }

    /** Ends the call's life: every path (delivery, cancellation, discard) comes here exactly once. */
    private void releaseArguments() {
        for (ReferenceClaim argument : borrowedArguments) {
            argument.close();
        }
        LIVE.remove(id);
        if (counted) {
            channel.countAwaiting(false);
        }
    }
}
