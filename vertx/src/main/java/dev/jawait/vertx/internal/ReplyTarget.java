package dev.jawait.vertx.internal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.List;

/**
 * A message handed to Python whose sender waits for an answer, and the context its consumer runs
 * on, where the answer is handed (after anything the consumer handed there before).
 */
final class ReplyTarget {
    private static final System.Logger LOG = System.getLogger(ReplyTarget.class.getName());

    private final Message<Object> message;
    private final ContextHandoff handoff;

    ReplyTarget(Message<Object> message, ContextHandoff handoff) {
        this.message = message;
        this.handoff = handoff;
    }

    String address() {
        return message.address();
    }

    /** Replies, unless Vert.x closed (then no answer can leave this node any more). */
    void reply(Object body, DeliveryOptions options) {
        answer(() -> message.reply(body, options));
    }

    /**
     * Replies to each target with its body ({@code targets[i]}, {@code bodies[i]}), handing the
     * replies for one context over as one task: one wake of its thread for a loop turn's replies.
     */
    static void replyAll(List<ReplyTarget> targets, List<Object> bodies) {
        int start = 0;
        while (start < targets.size()) {
            ContextHandoff handoff = targets.get(start).handoff;
            int end = start + 1;
            while (end < targets.size() && targets.get(end).handoff == handoff) {
                end++;
            }
            ReplyTarget[] batch = targets.subList(start, end).toArray(new ReplyTarget[0]);
            Object[] batchBodies = bodies.subList(start, end).toArray(); // copies: the caller reuses its lists
            try {
                handoff.execute(() -> {
                    for (int i = 0; i < batch.length; i++) {
                        try { // one reply that fails does not take the batch's others with it
                            batch[i].message.reply(batchBodies[i], new DeliveryOptions());
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
    Future<Object[]> replyAndRequest(Object body, DeliveryOptions options) {
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
    void fail(int code, String text) {
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
