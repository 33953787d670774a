package dev.jawait.vertx.internal;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * A registered event-bus consumer as the publisher behind a Python consumer's async iterator. The
 * Vert.x handler never pauses (a paused Vert.x consumer drops what overflows its buffer, unseen
 * by the sender); instead messages that arrive without demand wait here, up to
 * {@code maxBuffered}, and one beyond that is failed back to its sender at once. Unregistering
 * fails back what still waits, then ends the stream after what Python was already handed, so that
 * no message is lost silently.
 *
 * <p>Python takes the messages in batches ({@link BatchPublisher}).
 */
final class MessageFeed extends BatchPublisher implements Handler<Message<Object>> {
    /** The failure code of a message refused because its consumer is full or gone. */
    static final int UNAVAILABLE = 503;
    /** Turns of the event loop that unregistering waits at most for Vert.x to stop delivering. */
    private static final int QUIET_TURNS = 100;

    private final String address;
    private final int maxBuffered;
    private MessageConsumer<Object> consumer; // used on the context only
    // Guarded by this:
    private boolean closed;
    private int arrivedWhileClosing; // since the last look, for unregistering at a quiet moment
    private Future<Void> unregistered;

    /** {@code handoff}: to the context where the consumer registers, receives, answers and unregisters. */
    MessageFeed(String address, int maxBuffered, ContextHandoff handoff) {
        super(handoff);
        this.address = address;
        this.maxBuffered = maxBuffered;
    }

    @Override
    String description() {
        return "the messages of '" + address + "'";
    }

    /** Registers {@code consumer} with this feed as its handler (on the context); completes once Vert.x confirms. */
    Future<MessageFeed> register(MessageConsumer<Object> consumer) {
        this.consumer = consumer;
        consumer.handler(this);
        return consumer.completion().map(this);
    }

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
            } else if (offer(arrival, maxBuffered)) {
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
            refused = takeWaiting();
            done = Promise.promise();
            unregistered = done.future().andThen(outcome -> end());
        }
        try {
            handoff().execute(() -> {
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
            handoff().context().runOnContext(v -> {
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
}
