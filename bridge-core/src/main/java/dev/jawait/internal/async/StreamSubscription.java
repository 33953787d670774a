package dev.jawait.internal.async;

import dev.jawait.export.Cancellation;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.convert.HandleType;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.Metrics;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.ReferenceClaim;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A Java stream consumed by a Python async generator: the {@link Flow.Subscriber} side buffers
 * what the producer sends (any thread, no GIL) and the Python side takes it in batches
 * ({@link #take}, loop thread, GIL held).
 *
 * <p>Demand follows consumption: nothing is requested before the first take; then at most
 * {@code prefetch} items are requested or buffered at any time, and more are requested once half of
 * that has been taken. When the buffer is empty the generator parks like a coroutine; the item
 * that arrives first wakes the loop, and that wake's drain hands Python every item buffered by
 * then: one wake for many items.
 */
public final class StreamSubscription implements Flow.Subscriber<Object>, HandleType.ReleasedByPython {
    private static final PyFunctionRef END = new PyFunctionRef("jawait._async", "END");

    private final int prefetch;
    private final String function;
    private final SourceSubscriber source;
    private final Cancellation cancellation;
    private final List<ReferenceClaim> borrowedArguments;
    private final Object lock = new Object();
    // Guarded by lock:
    private final ArrayDeque<Object> buffer = new ArrayDeque<>();
    private Flow.Subscription subscription;
    private long outstanding;
    private Throwable error;
    private boolean completed;
    private boolean closed;
    private PendingCall waiter;
    private LoopChannel waiterChannel;
    private int maxBuffered;
    // Loop thread only:
    private boolean started;

    /** How this subscriber gets connected to its source, on the first take. */
    @FunctionalInterface
    interface SourceSubscriber {
        void subscribe(StreamSubscription subscriber);

        /** The consumer left before a subscription arrived: stops what would produce one. */
        default void abandon() {}
    }

    StreamSubscription(
            SourceSubscriber source,
            int prefetch,
            Cancellation cancellation,
            List<ReferenceClaim> borrowed,
            String function) {
        if (prefetch < 1) {
            throw new IllegalArgumentException(function + "(): prefetch must be at least 1, got " + prefetch);
        }
        this.source = source;
        this.prefetch = prefetch;
        this.cancellation = cancellation;
        this.borrowedArguments = borrowed;
        this.function = function;
        Metrics.Sink metrics = Metrics.sink;
        if (metrics != null) {
            metrics.streamOpened(this, () -> {
                synchronized (lock) {
                    return buffer.size();
                }
            });
        }
    }

    /**
     * A subscriber for {@code stream}: a {@code Flow.Publisher}, a Vert.x {@code ReadStream}, or a
     * future of one (subscribed to once it completes; its failure ends the stream).
     */
    static StreamSubscription of(
            Object stream,
            Executor producer,
            int prefetch,
            Cancellation cancellation,
            List<ReferenceClaim> borrowed,
            String function) {
        return new StreamSubscription(sourceOf(stream, function, producer), prefetch, cancellation, borrowed, function);
    }

    private static SourceSubscriber sourceOf(Object stream, String function, Executor producer) {
        if (stream instanceof Flow.Publisher<?> publisher) {
            @SuppressWarnings("unchecked")
            Flow.Publisher<Object> items = (Flow.Publisher<Object>) publisher;
            return items::subscribe;
        }
        if (OptionalVertx.isReadStream(stream)) {
            return s -> VertxSupport.subscribe(stream, s);
        }
        if (stream instanceof CompletionStage<?> || OptionalVertx.isFuture(stream)) {
            return new Deferred(SourceFuture.of(stream, function), function, producer);
        }
        throw new IllegalStateException(function + "() returned "
                + (stream == null ? "null" : stream.getClass().getName())
                + " instead of a Flow.Publisher or Vert.x ReadStream (or a future of one)");
    }

    /**
     * A stream that a future completes with, connected at the first take (or on completion, if that
     * comes later). A ReadStream is paused as it arrives, so nothing flows, or is lost, before then,
     * and connected where it came from: on the executor whose body produced it (which paused it
     * there), else on the Vert.x context it arrived on, if any.
     */
    private static final class Deferred implements SourceSubscriber {
        private final SourceFuture future;
        private final String function;
        private final Executor producer;
        // Guarded by this:
        private boolean done;
        private Object stream;
        private Throwable failure;
        private StreamSubscription waiting;
        /** Where a ReadStream is connected; null: on the thread of the first take. */
        private Executor home;

        Deferred(SourceFuture future, String function, Executor producer) {
            this.future = future;
            this.function = function;
            this.producer = producer;
            future.onComplete(this::arrived);
        }

        private void arrived(Object value, Throwable error) {
            Executor context = null;
            if (error == null && OptionalVertx.isReadStream(value)) {
                if (producer != null) {
                    context = producer;
                } else {
                    try {
                        VertxSupport.pause(value);
                        context = VertxSupport.currentContext();
                    } catch (RuntimeException e) { // refused: the generator raises it rather than waiting for ever
                        error = e;
                    }
                }
            }
            StreamSubscription subscriber;
            synchronized (this) {
                done = true;
                stream = value;
                failure = error;
                home = context;
                subscriber = waiting;
            }
            if (subscriber != null) {
                connect(subscriber);
            }
        }

        @Override
        public void subscribe(StreamSubscription subscriber) {
            Executor context;
            synchronized (this) {
                if (!done) {
                    waiting = subscriber;
                    return;
                }
                context = home;
            }
            if (context == null) {
                connect(subscriber);
                return;
            }
            try {
                context.execute(() -> connect(subscriber));
            } catch (RuntimeException e) { // Vert.x closed
                subscriber.onError(e);
            }
        }

        private void connect(StreamSubscription subscriber) {
            if (failure != null) {
                subscriber.onError(failure);
                return;
            }
            try {
                // If the consumer left meanwhile, onSubscribe cancels at once.
                sourceOf(stream, function, null).subscribe(subscriber);
            } catch (RuntimeException e) { // not a stream, or one that refuses handlers (a response already ended)
                subscriber.onError(e);
            }
        }

        @Override
        public void abandon() {
            future.cancel();
        }
    }

    // ---- Flow.Subscriber: the producer's side, any thread ------------------------------------------

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "onSubscribe(null)");
        boolean accepted;
        synchronized (lock) {
            accepted = subscription == null && !closed;
            if (accepted) {
                subscription = s;
                outstanding = prefetch;
            }
        }
        if (accepted) {
            s.request(prefetch);
        } else {
            s.cancel(); // a second subscription, or the consumer already left
        }
    }

    @Override
    public void onNext(Object item) {
        Objects.requireNonNull(item, "onNext(null)");
        PendingCall wake;
        LoopChannel channel;
        synchronized (lock) {
            if (closed) {
                return;
            }
            buffer.add(item);
            outstanding--;
            maxBuffered = Math.max(maxBuffered, buffer.size());
            wake = waiter;
            channel = waiterChannel;
            waiter = null;
        }
        if (wake != null) {
            channel.complete(wake);
        }
    }

    @Override
    public void onError(Throwable failure) {
        Objects.requireNonNull(failure, "onError(null)");
        terminate(failure);
    }

    @Override
    public void onComplete() {
        terminate(null);
    }

    private void terminate(Throwable failure) {
        PendingCall wake;
        LoopChannel channel;
        synchronized (lock) {
            if (failure == null) {
                completed = true;
            } else {
                error = failure;
            }
            wake = waiter;
            channel = waiterChannel;
            waiter = null;
        }
        if (wake != null) {
            channel.complete(wake);
        }
    }

    // ---- the Python side: loop thread, GIL held -----------------------------------------------------

    /**
     * What Python gets next: a new reference to a list of the items buffered now, to
     * {@code jawait._async.END} at the end, or 0 if nothing is there yet (then park). A failure from
     * the producer is thrown once the items before it were taken.
     *
     * <p>The generator comes back only after yielding the whole previous batch, so at each take the
     * items in flight are the buffer, the requests not yet answered, and the batch handed out now;
     * requests keep that at most {@code prefetch}.
     */
    long take() throws Throwable {
        ThreadAttachment attachment = ThreadAttachment.current();
        if (!started) {
            started = true;
            attachment.withoutGil(() -> source.subscribe(this)); // the producer's code
        }
        for (int look = 0; look < 2; look++) {
            Object[] items;
            Flow.Subscription toRequestFrom = null;
            long toRequest = 0;
            Throwable failure = null;
            boolean end = false;
            synchronized (lock) {
                items = buffer.toArray();
                buffer.clear();
                if (items.length == 0) {
                    failure = error;
                    end = failure == null && completed;
                }
                long room = prefetch - outstanding - items.length;
                if (subscription != null
                        && !closed
                        && !completed
                        && error == null
                        && room >= Math.max(1, prefetch / 2)) {
                    outstanding += room;
                    toRequest = room;
                    toRequestFrom = subscription;
                }
            }
            if (toRequest > 0) {
                Flow.Subscription from = toRequestFrom;
                long n = toRequest;
                attachment.withoutGil(() -> from.request(n)); // a synchronous producer may deliver right here
            }
            if (items.length > 0) {
                return list(items);
            }
            if (failure != null) {
                throw failure;
            }
            if (end) {
                return ToPython.newReference(END.get());
            }
            if (toRequest == 0) {
                break; // nothing asked for now: wait for what is on its way
            }
            // Asked for more with nothing in hand: a synchronous producer has answered already.
        }
        return 0;
    }

    private static long list(Object[] items) {
        long[] converted = new long[items.length];
        int count = 0;
        try {
            for (; count < items.length; count++) {
                converted[count] = ToPython.convert(items[count]);
            }
        } catch (RuntimeException | Error e) {
            for (int i = 0; i < count; i++) {
                CPython.Py_DecRef(converted[i]);
            }
            throw e;
        }
        return ToPython.listOf(converted, count);
    }

    /** Parks {@code call} until something can be taken; completes it at once if that is already so. */
    void arm(PendingCall call, LoopChannel channel) {
        boolean ready;
        synchronized (lock) {
            ready = !buffer.isEmpty() || completed || error != null || closed;
            if (!ready) {
                waiter = call;
                waiterChannel = channel;
            }
        }
        if (ready) {
            channel.complete(call);
        }
    }

    /** A parked take, for {@link PendingCall}. */
    Awaited nextBatch() {
        return new Awaited() {
            @Override
            public void whenReady(PendingCall call, LoopChannel channel) {
                arm(call, channel);
            }

            @Override
            public long outcome() throws Throwable {
                long batch = take();
                return batch != 0 ? batch : ToPython.checked(CPython.PyList_New(0)); // woken by close(): nothing
            }

            @Override
            public void abandon() {
                // the generator's own close() stops the stream
            }
        };
    }

    /**
     * The consumer is done (the generator ended, was closed or collected): cancels the subscription
     * unless the stream already ended, runs the Cancellation hooks, releases the call's arguments.
     */
    public void close() {
        Flow.Subscription toCancel;
        boolean ended;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            waiter = null;
            toCancel = subscription;
            ended = completed || error != null;
        }
        try {
            ThreadAttachment.current().withoutGil(() -> {
                if (toCancel != null && !ended) {
                    toCancel.cancel();
                } else if (toCancel == null && !ended) {
                    source.abandon();
                }
                if (cancellation != null && !ended) {
                    Bridge.cancellations().cancel(cancellation);
                }
            });
        } finally {
            for (ReferenceClaim argument : borrowedArguments) {
                argument.close();
            }
        }
    }

    @Override
    public void releasedByPython() {
        close(); // a generator collected without being closed
    }

    /** The most items buffered at once so far (a test checks it never passes the prefetch). */
    public int maxBuffered() {
        synchronized (lock) {
            return maxBuffered;
        }
    }

    public int prefetch() {
        return prefetch;
    }
}
