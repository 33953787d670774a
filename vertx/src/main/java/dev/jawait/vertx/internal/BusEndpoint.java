package dev.jawait.vertx.internal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * One Python {@code EventBus}: the event bus of a Vert.x instance, and for a Python verticle its
 * Vert.x context, where its consumers register (so that they belong to its deployment). The
 * methods run on the Python thread, which they never block: Vert.x sends asynchronously, and
 * consumers register on their context.
 */
public final class BusEndpoint {
    private final Vertx vertx;
    private final EventBus bus;
    private final Context context;

    /** {@code context}: where consumers register; null to let Vert.x choose (the calling thread's context). */
    public BusEndpoint(Vertx vertx, Context context) {
        this.vertx = vertx;
        this.bus = vertx.eventBus();
        this.context = context;
    }

    /** Sends or publishes an encoded body. */
    void send(String address, Object body, DeliveryOptions options, boolean publish) {
        if (publish) {
            bus.publish(address, body, options);
        } else {
            bus.send(address, body, options);
        }
    }

    /**
     * Requests a reply; the future always succeeds, with {@code [body, headers]} of the reply or
     * {@code [null, null, [failure type, failure code, message]]} (Python raises the fitting
     * exception, naming the address and the timeout).
     */
    Future<Object[]> request(String address, Object body, DeliveryOptions options) {
        return bus.<Object>request(address, body, options).transform(outcome -> Future.succeededFuture(outcome.succeeded()
                ? reply(outcome.result()) : failure(outcome.cause())));
    }

    private static Object[] reply(Message<Object> reply) {
        return new Object[] {reply.body(), Bodies.headers(reply.headers()), null};
    }

    private static Object[] failure(Throwable cause) {
        if (cause instanceof ReplyException reply) {
            return new Object[] {null, null, new Object[] {reply.failureType().name(), reply.failureCode(),
                    reply.getMessage()}};
        }
        return new Object[] {null, null, new Object[] {"ERROR", -1, String.valueOf(cause)}};
    }

    /**
     * Registers a consumer of {@code address} that feeds Python, on this endpoint's context (or
     * the one Vert.x gives the calling thread); completes once Vert.x confirms.
     */
    Future<MessageFeed> consume(String address, boolean local, int maxBuffered) {
        Context home = context != null ? context : vertx.getOrCreateContext();
        MessageFeed feed = new MessageFeed(address, maxBuffered, home);
        Promise<MessageFeed> registered = Promise.promise();
        home.runOnContext(v -> feed.register(local ? bus.localConsumer(address) : bus.consumer(address))
                .onComplete(registered));
        return registered.future();
    }
}
