package dev.jawait.vertx.internal;

import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Messages for Python in batches, the publisher behind a Python async iterator. Each item is
 * {@code [entries, delivery]}: the messages that waited when Python asked for more (up to
 * {@value #MAX_BATCH}), as one {@code bytes} in {@code marshal}'s format ({@link
 * MarshalledBodies#batch}, each entry encoded on the Vert.x thread as its message arrived) for
 * Python to unpack in C, and the {@link Delivery} through which Python answers them by index.
 * Python asks for one batch at a time, so what arrives while it handles one crosses together as
 * the next. Batches are handed over under the lock (this), so messages stay in arrival order.
 */
abstract class BatchPublisher implements Flow.Publisher<Object>, Flow.Subscription {
    /** The most messages in one batch, so that a backlog reaches Python in bites its loop can take between other work. */
    static final int MAX_BATCH = 256;

    private final ContextHandoff handoff;
    // Guarded by this:
    private final ArrayDeque<Arrival> waiting = new ArrayDeque<>();
    private Flow.Subscriber<? super Object> subscriber;
    private long demand;
    private boolean ended;
    private Throwable failure;

    /** A message (null for an entry that holds none, such as a failure) and its entry in a batch. */
    record Arrival(Message<Object> message, byte[] entry) {}

    /** {@code handoff}: to the context where the messages are answered. */
    BatchPublisher(ContextHandoff handoff) {
        this.handoff = handoff;
    }

    final ContextHandoff handoff() {
        return handoff;
    }

    /** What the batches are of, for the error of a second subscriber. */
    abstract String description();

    /**
     * Hands {@code arrival} to Python at once if it waits for a batch, else queues it if fewer than
     * {@code maxWaiting} wait; false if neither.
     */
    final synchronized boolean offer(Arrival arrival, int maxWaiting) {
        if (demand > 0 && waiting.isEmpty()) {
            demand--;
            subscriber.onNext(batch(List.of(arrival)));
        } else if (waiting.size() < maxWaiting) {
            waiting.add(arrival);
        } else {
            return false;
        }
        return true;
    }

    /** Takes what waits for Python, which it will not get. */
    final synchronized List<Arrival> takeWaiting() {
        List<Arrival> taken = List.copyOf(waiting);
        waiting.clear();
        return taken;
    }

    /** Ends the stream after the batches Python already holds, unless it ended already. */
    final synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (subscriber != null) {
            subscriber.onComplete();
        }
    }

    /** Ends the stream with {@code error}, which Python's iterator raises after the batches it holds. */
    final synchronized void fail(Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        failure = error;
        if (subscriber != null) {
            subscriber.onError(error);
        }
    }

    private Object[] batch(List<Arrival> arrivals) {
        List<byte[]> entries = new ArrayList<>(arrivals.size());
        List<Message<Object>> messages = new ArrayList<>(arrivals.size());
        for (Arrival arrival : arrivals) {
            entries.add(arrival.entry());
            messages.add(arrival.message());
        }
        return new Object[] {MarshalledBodies.batch(entries), new Delivery(messages, handoff)};
    }

    @Override
    public final void subscribe(Flow.Subscriber<? super Object> subscriber) {
        synchronized (this) {
            if (this.subscriber != null) {
                throw new IllegalStateException(description() + " are read once");
            }
            this.subscriber = subscriber;
            subscriber.onSubscribe(this);
            if (failure != null) {
                subscriber.onError(failure);
            } else if (ended) {
                subscriber.onComplete();
            }
        }
    }

    /** Python wants {@code n} more batches: hands over what waits, then lets that many more through as they come. */
    @Override
    public final synchronized void request(long n) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        while (demand > 0 && !waiting.isEmpty()) {
            demand--;
            List<Arrival> arrivals = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
            while (arrivals.size() < MAX_BATCH && !waiting.isEmpty()) {
                arrivals.add(waiting.poll());
            }
            subscriber.onNext(batch(arrivals));
        }
    }
}
