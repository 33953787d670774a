package dev.jawait.vertx.internal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Messages handed to Python together (a consumer's batch, or the reply to a request), and the
 * context their consumer runs on, where answers are handed (after anything handed there before).
 * Python holds one Delivery for a batch and names each message by its index in it, so that a batch
 * crosses as one object however many messages it holds; Python keeps it while a message of it may
 * still be answered.
 */
final class Delivery {
    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    private final Message<Object>[] messages;
    private final ContextHandoff handoff;

    @SuppressWarnings("unchecked")
    Delivery(List<Message<Object>> messages, ContextHandoff handoff) {
        this.messages = messages.toArray(new Message[0]);
        this.handoff = handoff;
    }

    String address(int index) {
        return messages[index].address();
    }

    /** The body as Vert.x delivered it, for a body that is not JSON data (the converters hand it over). */
    Object body(int index) {
        return messages[index].body();
    }

    /** The headers as a map of str to str, or null when there are none. */
    Object headers(int index) {
        return Bodies.headers(messages[index].headers());
    }

    /** Replies, unless Vert.x closed (then no answer can leave this node any more). */
    void reply(int index, Object body, DeliveryOptions options) {
        Message<Object> message = messages[index];
        answer(() -> message.reply(body, options));
    }

    /**
     * Replies to message {@code indexes[i]} of {@code deliveries[targets[i]]} with {@code bodies(i)},
     * handing the replies for one context over as one task, where their bodies are made: one wake of
     * its thread for a loop turn's replies.
     */
    static void replyAll(List<Delivery> deliveries, int[] targets, int[] indexes, IntFunction<Object> bodies) {
        int start = 0;
        while (start < targets.length) {
            ContextHandoff handoff = deliveries.get(targets[start]).handoff;
            int end = start + 1;
            while (end < targets.length && deliveries.get(targets[end]).handoff == handoff) {
                end++;
            }
            @SuppressWarnings("unchecked")
            Message<Object>[] batch = new Message[end - start];
            for (int i = start; i < end; i++) {
                batch[i - start] = deliveries.get(targets[i]).messages[indexes[i]];
            }
            int first = start;
            try {
                handoff.execute(() -> {
                    for (int i = 0; i < batch.length; i++) {
                        try { // one reply that fails does not take the batch's others with it
                            batch[i].reply(bodies.apply(first + i), new DeliveryOptions());
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.ERROR, "a reply to '" + batch[i].address() + "' failed", e);
                        }
                    }
                });
            } catch (IllegalStateException closed) {
                // as in answer(): nothing leaves a closed Vert.x
            }
            start = end;
        }
    }

    /**
     * Replies and awaits the answer to the reply (Vert.x's replyAndRequest), from the consumer's
     * context; completes as {@link BusEndpoint#request} does.
     */
    Future<Object[]> replyAndRequest(int index, Object body, DeliveryOptions options) {
        Message<Object> message = messages[index];
        Promise<Object[]> outcome = Promise.promise();
        try {
            handoff.execute(() -> message.<Object>replyAndRequest(body, options)
                    .onComplete(reply -> outcome.complete(
                            reply.succeeded()
                                    ? BusEndpoint.reply(reply.result(), handoff)
                                    : BusEndpoint.failure(reply.cause()))));
        } catch (IllegalStateException closed) {
            outcome.complete(BusEndpoint.failure(closed));
        }
        return outcome.future();
    }

    /** Fails the message back, unless Vert.x closed. */
    void fail(int index, int code, String text) {
        Message<Object> message = messages[index];
        answer(() -> message.fail(code, text));
    }

    private void answer(Runnable answer) {
        try {
            handoff.execute(answer);
        } catch (IllegalStateException closed) {
            // nothing leaves a closed Vert.x; its sender learns by its timeout, as from a node that died
        }
    }
}
