package dev.jawait.vertx.internal;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * A message handed to Python whose sender waits for an answer, and the context its consumer runs
 * on, where the answer is handed (after anything the consumer handed there before).
 */
final class ReplyTarget {
    private final Message<Object> message;
    private final ContextHandoff handoff;

    ReplyTarget(Message<Object> message, ContextHandoff handoff) {
        this.message = message;
        this.handoff = handoff;
    }

    String address() {
        return message.address();
    }

    void reply(Object body, DeliveryOptions options) {
        handoff.execute(() -> message.reply(body, options));
    }

    void fail(int code, String text) {
        handoff.execute(() -> message.fail(code, text));
    }
}
