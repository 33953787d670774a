package dev.jawait.vertx.internal;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;

/**
 * A registered event-bus consumer as the publisher behind a Python consumer's async iterator. The
 * Vert.x handler never pauses (a paused Vert.x consumer drops what overflows its buffer, unseen
 * by the sender); instead messages that arrive without demand wait here, up to
 * {@code maxBuffered}, and one beyond that is failed back to its sender at once. Unregistering
 * fails back what still waits, then ends the stream after what Python was already handed, so that
 * no message is lost silently.
 *
 * <p>Each item is a batch, {@code [entries, delivery]}: the messages that waited when Python asked
 * for more (up to {@value #MAX_BATCH}), their bodies and headers as one {@code bytes} in
 * {@code marshal}'s format ({@link MarshalledBodies#batch}, encoded on the Vert.x thread as each
 * message arrives) for Python to unpack in C, and the {@link Delivery} through which Python answers
 * them. Python asks for one batch at a time, so the messages that arrive while it handles one
 * cross together as the next. Batches are handed over under the lock, so messages stay in arrival
 * order.
 */
final class MessageFeed implements Flow.Publisher<Object>, Flow.Subscription, Handler<Message<Object>> {
    /** The failure code of a message refused because its consumer is full or gone. */
    static final int UNAVAILABLE = 503;
    /** Turns of the event loop that unregistering waits at most for Vert.x to stop delivering. */
    private static final int QUIET_TURNS = 100;
    /** The most messages in one batch, so that a backlog reaches Python in bites its loop can take between other work. */
    static final int MAX_BATCH = 256;

    private final String address;
    private final int maxBuffered;
    private final ContextHandoff handoff;
    private MessageConsumer<Object> consumer; // used on the context only
    // Guarded by this:
    private final ArrayDeque<Arrival> waiting = new ArrayDeque<>();
    private Flow.Subscriber<? super Object> subscriber;
    private long demand;
    private boolean closed;
    private int arrivedWhileClosing; // since the last look, for unregistering at a quiet moment
    private boolean ended;
    private Future<Void> unregistered;

    /** {@code handoff}: to the context where the consumer registers, receives, answers and unregisters. */
    MessageFeed(String address, int maxBuffered, ContextHandoff handoff) {
        this.address = address;
        this.maxBuffered = maxBuffered;
        this.handoff = handoff;
    }

    /** Registers {@code consumer} with this feed as its handler (on the context); completes once Vert.x confirms. */
    Future<MessageFeed> register(MessageConsumer<Object> consumer) {
        this.consumer = consumer;
        consumer.handler(this);
        return consumer.completion().map(this);
    }

    /** A message and its entry in a batch. */
    private record Arrival(Message<Object> message, byte[] entry) {}

    /** A message arrived (on the consumer's Vert.x context). */
    @Override
    public void handle(Message<Object> message) {
        Arrival arrival = new Arrival(
                message,
                MarshalledBodies.entry(
                        message.body(), Bodies.headers(message.headers()), message.replyAddress() != null));
        String refusal;
        synchronized (this) {
            if (closed) {
                arrivedWhileClosing++;
                refusal = gone();
            } else if (demand > 0 && waiting.isEmpty()) {
                demand--;
                subscriber.onNext(batch(List.of(arrival)));
                return;
            } else if (waiting.size() < maxBuffered) {
                waiting.add(arrival);
                return;
            } else {
                refusal = "the Python consumer of '" + address + "' has " + maxBuffered + " messages waiting and "
                        + "refused this one; let it handle more at once (concurrency) or wait for more (max_buffered)";
            }
        }
        message.fail(UNAVAILABLE, refusal);
    }

    private String gone() {
        return "the Python consumer of '" + address + "' was unregistered before it handled this message";
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
    public void subscribe(Flow.Subscriber<? super Object> subscriber) {
        synchronized (this) {
            if (this.subscriber != null) {
                throw new IllegalStateException("the messages of '" + address + "' are read once");
            }
            this.subscriber = subscriber;
            subscriber.onSubscribe(this);
            if (ended) {
                subscriber.onComplete();
            }
        }
    }

    /** Python wants {@code n} more batches: hands over what waits, then lets that many more through as they come. */
    @Override
    public synchronized void request(long n) {
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

    /** Python let go of the stream (closed or collected) without unregistering first. */
    @Override
    public void cancel() {
        unregister();
    }

    /**
     * Unregisters the consumer: what arrives from now on, and what waits, is failed back; once
     * Vert.x confirms, the stream ends after the items Python already holds. Idempotent.
     *
     * <p>Vert.x drops, with a warning to its log only, the messages still queued inside a consumer
     * that unregisters, and it hands them over a few per turn of the event loop. So the
     * unregistration waits on the consumer's context, after the answers Python handed there,
     * until a whole turn brought no message (each one that came was failed back), up to
     * {@value #QUIET_TURNS} turns under steady traffic.
     */
    Future<Void> unregister() {
        List<Arrival> refused;
        Promise<Void> done;
        synchronized (this) {
            if (closed) {
                return unregistered;
            }
            closed = true;
            refused = List.copyOf(waiting);
            waiting.clear();
            done = Promise.promise();
            unregistered = done.future().andThen(outcome -> end());
        }
        try {
            handoff.execute(() -> {
                for (Arrival arrival : refused) {
                    arrival.message().fail(UNAVAILABLE, gone());
                }
                unregisterWhenQuiet(done, QUIET_TURNS);
            });
        } catch (IllegalStateException closed) {
            done.tryComplete(); // its consumers went with it
        }
        return unregistered;
    }

    /** On the context: after a turn that brought no message (or the last allowed), unregisters. */
    private void unregisterWhenQuiet(Promise<Void> done, int turnsLeft) {
        try {
            handoff.context().runOnContext(v -> {
                boolean quiet;
                synchronized (this) {
                    quiet = arrivedWhileClosing == 0;
                    arrivedWhileClosing = 0;
                }
                if (quiet || turnsLeft == 0) {
                    consumer.unregister().onComplete(done);
                } else {
                    unregisterWhenQuiet(done, turnsLeft - 1);
                }
            });
        } catch (RejectedExecutionException closing) {
            done.tryComplete(); // Vert.x is closing, and its consumers go with it
        }
    }

    private synchronized void end() {
        ended = true;
        if (subscriber != null) {
            subscriber.onComplete();
        }
    }
}
