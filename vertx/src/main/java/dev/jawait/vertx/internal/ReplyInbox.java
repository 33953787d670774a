package dev.jawait.vertx.internal;

import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.List;

/**
 * The requests that one Python {@code EventBus} makes on one event loop, and their replies. Python
 * hands over the requests of a loop turn together ({@link #send}), which start on the context as
 * one task; the replies reach Python in batches ({@link BatchPublisher}), each entry {@code
 * (request id, body)} for most, else {@code (request id, body, headers or None, failure or None,
 * whether the replier waits for an answer)} ({@link MarshalledBodies#replyEntry}, {@link
 * MarshalledBodies#failureEntry}), so that a reply costs Python no call of its own. Every request
 * gets one entry, a reply or a failure, unless Python let go of the replies first.
 */
final class ReplyInbox extends BatchPublisher {
    private final EventBus bus;
    // Guarded by this:
    private boolean closed;

    ReplyInbox(EventBus bus, ContextHandoff handoff) {
        super(handoff);
        this.bus = bus;
    }

    @Override
    String description() {
        return "the replies of an event bus";
    }

    /**
     * Starts the requests of {@code marshal.dumps([id, address, message, timeout, ...], 2)} (see
     * {@link MarshalledBodies#decodeRequests}) on the context, where they are decoded too, off the
     * Python thread. A request that cannot go is answered at once with why: its headers are wrong,
     * or its body is not JSON data (Python then sends it object by object). A batch that cannot be
     * read at all ends the replies with an error, which fails every request still waiting. Throws
     * IllegalStateException once Vert.x closed, starting none.
     */
    void send(byte[] requests) {
        handoff().execute(() -> start(requests));
    }

    private void start(byte[] requests) {
        List<MarshalledBodies.Request> decoded;
        try {
            decoded = MarshalledBodies.decodeRequests(requests);
        } catch (MarshalledBodies.NotJson e) { // jawait.vertx writes them: never so, but if it did, none may hang
            synchronized (this) {
                closed = true; // Python fails every request still waiting; their replies go nowhere
            }
            fail(new IllegalArgumentException("request_all: not a batch of requests", e));
            return;
        }
        for (MarshalledBodies.Request request : decoded) {
            int id = request.id();
            try {
                start(request);
            } catch (MarshalledBodies.NotJson e) { // Python sends it object by object, which says what is wrong
                arrive(new Arrival(null, MarshalledBodies.failureEntry(id, false)));
            } catch (Bodies.BadHeaders e) {
                arrive(new Arrival(null, MarshalledBodies.failureEntry(id, e.getMessage())));
            } catch (RuntimeException e) { // such as an event bus that is closing: this request fails, the others go
                arrive(new Arrival(null, MarshalledBodies.failureEntry(id, BusEndpoint.failure(e)[2])));
            }
        }
    }

    private void start(MarshalledBodies.Request request) throws MarshalledBodies.NotJson, Bodies.BadHeaders {
        String address = MarshalledBodies.text(request.address());
        Object[] message = MarshalledBodies.decodeMessage(request.message());
        DeliveryOptions options =
                Bodies.options(message[1], EventBusModule.timeoutMillis(request.timeoutSeconds()), address);
        int id = request.id();
        bus.<Object>request(address, message[0], options).onComplete(reply -> replied(id, reply));
    }

    /** A request's outcome (on the context). */
    private void replied(int id, AsyncResult<Message<Object>> outcome) {
        if (outcome.failed()) {
            arrive(new Arrival(null, MarshalledBodies.failureEntry(id, BusEndpoint.failure(outcome.cause())[2])));
            return;
        }
        Message<Object> reply = outcome.result();
        arrive(new Arrival(
                reply,
                MarshalledBodies.replyEntry(
                        id, reply.body(), Bodies.headers(reply.headers()), reply.replyAddress() != null)));
    }

    private synchronized void arrive(Arrival arrival) {
        if (!closed) {
            offer(arrival, Integer.MAX_VALUE); // as many as there are requests in flight
        }
    }

    /** No more requests come (their EventBus is gone): ends the replies after those Python holds. */
    void close() {
        end();
    }

    /** Python let go of the replies (its loop ended): the ones still to come go nowhere. */
    @Override
    public synchronized void cancel() {
        closed = true;
        takeWaiting();
    }
}
