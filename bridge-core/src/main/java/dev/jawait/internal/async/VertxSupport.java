package dev.jawait.internal.async;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * Vert.x futures. The only class that names Vert.x types; it is loaded only when the class path
 * has Vert.x, so jawait works without it.
 */
public final class VertxSupport {
    private VertxSupport() {}

    private static final boolean PRESENT = present();

    private static boolean present() {
        try {
            Class.forName("io.vertx.core.Future", false, VertxSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static boolean isVertxFuture(Object future) {
        return PRESENT && future instanceof Future<?>;
    }

    static SourceFuture source(Object future) {
        return new Source((Future<?>) future);
    }

    static boolean isReadStream(Object stream) {
        return PRESENT && stream instanceof ReadStream<?>;
    }

    /** Whether {@code value} is a Vert.x Buffer (which crosses as bytes). */
    public static boolean isBuffer(Object value) {
        return PRESENT && value instanceof Buffer;
    }

    public static byte[] bytes(Object buffer) {
        return ((Buffer) buffer).getBytes();
    }

    public static Object buffer(byte[] bytes) {
        return Buffer.buffer(bytes);
    }

    /**
     * Connects a ReadStream to a subscriber with Reactive Streams demand: paused first, then
     * {@code fetch(n)} for {@code request(n)}; cancelling pauses it and drops the handlers.
     */
    @SuppressWarnings("unchecked")
    static void subscribe(Object stream, Flow.Subscriber<Object> subscriber) {
        ReadStream<Object> items = (ReadStream<Object>) stream;
        items.pause();
        items.exceptionHandler(subscriber::onError);
        items.endHandler(v -> subscriber.onComplete());
        items.handler(subscriber::onNext);
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                items.fetch(n);
            }

            @Override
            public void cancel() {
                items.pause();
                items.handler(null);
                items.endHandler(null);
                items.exceptionHandler(null);
            }
        });
    }

    /**
     * A Vert.x future completed with {@code future}'s outcome: on the caller's Vert.x context if it
     * runs on one (so listeners run there), else wherever {@code future} completes.
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<T> toVertx(CompletableFuture<T> future) {
        Context context = PRESENT ? Vertx.currentContext() : null;
        if (context != null) {
            return Future.fromCompletionStage(future, context);
        }
        Promise<T> promise = Promise.promise();
        future.whenComplete((value, failure) -> {
            if (failure == null) {
                promise.tryComplete(value);
            } else {
                promise.tryFail(SourceFuture.unwrap(failure));
            }
        });
        return promise.future();
    }

    private static final class Source implements SourceFuture {
        private final Future<?> future;

        Source(Future<?> future) {
            this.future = future;
        }

        @Override
        public boolean isDone() {
            return future.isComplete();
        }

        @Override
        public Throwable failure() {
            return future.cause();
        }

        @Override
        public Object result() {
            return future.result();
        }

        @Override
        public void onComplete(BiConsumer<Object, Throwable> listener) {
            future.onComplete(ar -> listener.accept(ar.succeeded() ? ar.result() : null, ar.cause()));
        }

        @Override
        public void cancel() {
            // Vert.x futures cannot be cancelled; functions register a Cancellation hook instead.
        }
    }
}
