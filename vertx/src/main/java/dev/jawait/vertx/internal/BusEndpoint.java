package dev.jawait.vertx.internal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.List;

/**
 * One Python {@code EventBus}: the event bus of a Vert.x instance, and a Vert.x context (a Python
 * verticle's own, so that its consumers belong to its deployment; else the one Vert.x gives the
 * Python thread) where consumers register and messages start. The methods run on the Python
 * thread, which they never block: they hand Vert.x's work over to the context, in order and in
 * bursts ({@link ContextHandoff}).
 */
public final class BusEndpoint {
    private final EventBus bus;
    private final ContextHandoff handoff;

    /** {@code context}: where consumers register and requests start; null for the one Vert.x gives the calling thread. */
    public BusEndpoint(Vertx vertx, Context context) {
        this.bus = vertx.eventBus();
        this.handoff = new ContextHandoff(context != null ? context : vertx.getOrCreateContext());
    }

    /** Sends or publishes an encoded body, from the context. */
    void send(String address, Object body, DeliveryOptions options, boolean publish) {
        handoff.execute(() -> {
            if (publish) {
                bus.publish(address, body, options);
            } else {
                bus.send(address, body, options);
            }
        });
    }

    /**
     * Requests a reply, from the context (so that Vert.x's work for it, timer included, runs
     * there rather than on the Python thread). The future always succeeds, with
     * {@code [body, headers, null, Delivery or null, packed]} of the reply (a Delivery of it when the
     * replier waits for an answer in turn: it replied with replyAndRequest; packed when the body is
     * in marshal's format, {@link MarshalledBodies}) or {@code [null, null, [failure type, failure
     * code, message], null, false]} (Python raises the fitting exception, naming the address and the
     * timeout).
     */
    Future<Object[]> request(String address, Object body, DeliveryOptions options) {
        Promise<Object[]> outcome = Promise.promise();
        handoff.execute(() -> bus.<Object>request(address, body, options)
                .onComplete(reply ->
                        outcome.complete(reply.succeeded() ? reply(reply.result(), handoff) : failure(reply.cause()))));
        return outcome.future();
    }

    static Object[] reply(Message<Object> reply, ContextHandoff handoff) {
        MarshalledBodies.Packed body = MarshalledBodies.Packed.of(reply.body()); // on the Vert.x thread
        return new Object[] {
            body.data(),
            Bodies.headers(reply.headers()),
            null,
            reply.replyAddress() != null ? new Delivery(List.of(reply), handoff) : null,
            body.packed()
        };
    }

    static Object[] failure(Throwable cause) {
        if (cause instanceof ReplyException reply) {
            return new Object[] {
                null,
                null,
                new Object[] {reply.failureType().name(), reply.failureCode(), reply.getMessage()},
                null,
                false
            };
        }
        return new Object[] {null, null, new Object[] {"ERROR", -1, String.valueOf(cause)}, null, false};
    }

    /** Where the requests of one Python EventBus on one event loop go, and their replies come from. */
    ReplyInbox inbox() {
        return new ReplyInbox(bus, handoff);
    }

    /**
     * Registers a consumer of {@code address} that feeds Python, on this endpoint's context;
     * completes once Vert.x confirms.
     */
    Future<MessageFeed> consume(String address, boolean local, int maxBuffered) {
        MessageFeed feed = new MessageFeed(address, maxBuffered, handoff);
        Promise<MessageFeed> registered = Promise.promise();
        handoff.execute(() -> feed.register(local ? bus.localConsumer(address) : bus.consumer(address))
                .onComplete(registered));
        return registered.future();
    }
}
