package dev.jawait.vertx.internal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * A registered event-bus consumer as the publisher behind a Python consumer's async iterator. The
 * Vert.x handler never pauses (a paused Vert.x consumer drops what overflows its buffer, unseen
 * by the sender); instead messages that arrive without demand wait here, up to
 * {@code maxBuffered}, and one beyond that is failed back to its sender at once. Unregistering
 * fails back what still waits, then ends the stream after what Python was already handed, so that
 * no message is lost silently.
 *
 * <p>Each item is {@code [body, headers or null, the Message or null]}: the Message only when its
 * sender waits for a reply. Items are handed over under the lock, so they stay in arrival order.
 */
final class MessageFeed implements Flow.Publisher<Object>, Flow.Subscription, Handler<Message<Object>> {
    /** The failure code of a message refused because its consumer is full or gone. */
    static final int UNAVAILABLE = 503;

    private final String address;
    private final int maxBuffered;
    private final Context context;
    private MessageConsumer<Object> consumer; // used on the context only
    // Guarded by this:
    private final ArrayDeque<Message<Object>> waiting = new ArrayDeque<>();
    private Flow.Subscriber<? super Object> subscriber;
    private long demand;
    private boolean closed;
    private boolean ended;
    private Future<Void> unregistered;

    /** {@code context}: where the consumer registers, receives and unregisters. */
    MessageFeed(String address, int maxBuffered, Context context) {
        this.address = address;
        this.maxBuffered = maxBuffered;
        this.context = context;
    }

    String address() {
        return address;
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
        String refusal;
        synchronized (this) {
            if (closed) {
                refusal = gone();
            } else if (demand > 0 && waiting.isEmpty()) {
                demand--;
                subscriber.onNext(item(message));
                return;
            } else if (waiting.size() < maxBuffered) {
                waiting.add(message);
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

    private static Object item(Message<Object> message) {
        return new Object[] {message.body(), Bodies.headers(message.headers()),
                message.replyAddress() != null ? message : null};
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

    /** Python wants {@code n} more: hands over what waits, then lets that many more through as they come. */
    @Override
    public synchronized void request(long n) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        while (demand > 0 && !waiting.isEmpty()) {
            demand--;
            subscriber.onNext(item(waiting.poll()));
        }
    }

    /** Python let go of the stream (closed or collected) without unregistering first. */
    @Override
    public void cancel() {
        unregister();
    }

    /**
     * Unregisters the consumer: what arrives from now on, and what waits, is failed back; once
     * Vert.x confirms, the stream ends after the items Python already holds. The unregistration
     * runs on the consumer's context, after the deliveries already queued there (which are
     * failed back rather than dropped by an unregistered consumer). Idempotent.
     */
    Future<Void> unregister() {
        List<Message<Object>> refused;
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
        for (Message<Object> message : refused) {
            message.fail(UNAVAILABLE, gone());
        }
        context.runOnContext(v -> consumer.unregister().onComplete(done));
        return unregistered;
    }

    private synchronized void end() {
        ended = true;
        if (subscriber != null) {
            subscriber.onComplete();
        }
    }
}
