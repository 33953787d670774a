package dev.jawait.internal.async;

import dev.jawait.internal.convert.ConversionFailure;
import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.VersionSpecific;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One Java subscriber of a Python async iterable. Java's {@code request(n)} adds demand (any
 * thread, no GIL); the pump on the loop takes it as credit ({@link #takeDemand}) and hands items
 * over in batches ({@link #push}), which reach {@code onNext} with the GIL released. The terminal
 * signal follows the pump task's outcome. Signals are serial: every one after {@code onSubscribe}
 * comes from the loop thread or from the pump's completion.
 */
final class PythonSubscription implements Flow.Subscription {
    private final Converters.Converter converter;
    private final String description;
    private final Object lock = new Object();
    // Guarded by lock:
    private Flow.Subscriber<? super Object> subscriber; // dropped once done (rule 3.13)
    private long demand;
    private boolean cancelled;
    private Throwable invalidRequest;
    private CompletableFuture<Object> demandArrived;
    private CompletableFuture<Object> pump;

    PythonSubscription(Flow.Subscriber<? super Object> subscriber, Converters.Converter converter, String description) {
        this.subscriber = subscriber;
        this.converter = converter;
        this.description = description;
    }

    @Override
    public void request(long n) {
        CompletableFuture<Object> wake;
        long credit = 0;
        boolean invalid;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            if (n <= 0) { // rule 3.9: signal onError, from the pump's side, and stop
                invalidRequest = new IllegalArgumentException(
                        description + ": request(" + n + ") is not positive " + "(Reactive Streams rule 3.9)");
                cancelled = true;
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n; // rule 3.17: Long.MAX_VALUE is unbounded
            }
            invalid = n <= 0;
            wake = demandArrived;
            demandArrived = null;
            if (wake != null) {
                credit = cancelled ? 0 : demand;
                demand = 0;
            }
        }
        if (wake != null) {
            wake.complete(credit);
        }
        if (invalid) {
            cancelPump();
        }
    }

    @Override
    public void cancel() {
        CompletableFuture<Object> wake;
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            subscriber = null;
            wake = demandArrived;
            demandArrived = null;
        }
        if (wake != null) {
            wake.complete(0L);
        }
        cancelPump();
    }

    private void cancelPump() {
        CompletableFuture<Object> p;
        synchronized (lock) {
            p = pump;
        }
        if (p != null) {
            p.cancel(true); // cancels the Python task, which closes the iterator
        }
    }

    /** The pump task; its outcome decides the terminal signal. */
    void attachPump(CompletableFuture<Object> task) {
        boolean cancelNow;
        synchronized (lock) {
            pump = task;
            cancelNow = cancelled;
        }
        if (cancelNow) {
            task.cancel(true);
        }
        task.whenComplete((exhausted, failure) -> finish(Boolean.TRUE.equals(exhausted), failure));
    }

    /**
     * Credit for the pump: the demand so far (taken), 0 once cancelled, or a future of the next
     * demand when there is none yet. Loop thread.
     */
    Object takeDemand() {
        synchronized (lock) {
            if (cancelled) {
                return 0L;
            }
            if (demand > 0) {
                long credit = demand;
                demand = 0;
                return credit;
            }
            demandArrived = new CompletableFuture<>();
            return demandArrived;
        }
    }

    /**
     * Converts a Python list of items and hands them to onNext, with the GIL released. Returns
     * false once the subscription is cancelled (the pump then stops). Loop thread, GIL held.
     */
    boolean push(long list) {
        // A typed item's conversion may run Python code (__index__): it works on a snapshot that owns the items.
        long snapshot = ToPython.checked(CPython.PyList_AsTuple(list));
        Object[] items;
        try {
            long size = CPython.PyTuple_Size(snapshot);
            items = new Object[(int) size];
            long[] objects = Memory.getLongs(VersionSpecific.tupleItems(snapshot), (int) size);
            for (int i = 0; i < objects.length; i++) {
                items[i] = converter.convert(objects[i]);
            }
        } catch (ConversionFailure f) {
            fail(
                    f.kind() == ConversionFailure.Kind.VALUE
                            ? new IllegalArgumentException(description + " produced " + f.getMessage())
                            : new ClassCastException(description + " produced a Python " + f.received()
                                    + ", which does not convert to the requested Java type (expected " + f.expected()
                                    + ")"));
            return false;
        } finally {
            CPython.Py_DecRef(snapshot);
        }
        ThreadAttachment attachment = ThreadAttachment.current();
        ThreadAttachment.Suspended suspended = attachment.detach();
        try {
            for (Object item : items) {
                Flow.Subscriber<? super Object> s;
                synchronized (lock) {
                    s = cancelled ? null : subscriber;
                }
                if (s == null) {
                    return false;
                }
                s.onNext(item);
            }
        } catch (RuntimeException e) { // rule 2.13: a subscriber that throws is considered cancelled
            cancel();
            System.getLogger(PythonSubscription.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "a subscriber of " + description + " threw from onNext; subscription cancelled",
                            e);
            return false;
        } finally {
            attachment.reattach(suspended);
        }
        synchronized (lock) {
            return !cancelled;
        }
    }

    /** Fails the subscription from the loop (an item that cannot convert): onError, and the pump stops. */
    private void fail(Throwable failure) {
        Flow.Subscriber<? super Object> s;
        synchronized (lock) {
            s = cancelled ? null : subscriber;
            cancelled = true;
            subscriber = null;
        }
        cancelPump();
        if (s != null) {
            ThreadAttachment.current().withoutGil(() -> s.onError(failure));
        }
    }

    /** The terminal signal, from the pump task's outcome. */
    private void finish(boolean exhausted, Throwable failure) {
        Flow.Subscriber<? super Object> s;
        Throwable error;
        synchronized (lock) {
            error = invalidRequest;
            s = error != null || !cancelled ? subscriber : null;
            cancelled = true;
            subscriber = null;
        }
        if (s == null) {
            return; // cancelled by the subscriber: no more signals are owed
        }
        if (error == null && failure != null) {
            error = failure instanceof CancellationException c
                    ? new CancellationException(description + " stopped: " + c.getMessage())
                    : failure;
        }
        if (error != null) {
            s.onError(error);
        } else if (exhausted) {
            s.onComplete();
        }
    }
}
