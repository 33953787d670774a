package dev.jawait.internal.async;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Vert.x futures, streams, buffers and JSON. With the ReadStream adapters nested in it, the only code
 * that names Vert.x types; callers check {@link OptionalVertx} first, so it is loaded only when the
 * class path has Vert.x, and jawait works without it.
 */
public final class VertxSupport {
    private VertxSupport() {}

    static SourceFuture source(Object future) {
        return new Source((Future<?>) future);
    }

    public static byte[] bytes(Object buffer) {
        return ((Buffer) buffer).getBytes();
    }

    public static Object buffer(byte[] bytes) {
        return Buffer.buffer(bytes);
    }

    /** The entries of a JsonObject (its own map: values may be JsonObjects or Maps, JsonArrays or Lists). */
    public static Map<String, Object> jsonObjectEntries(Object json) {
        return ((JsonObject) json).getMap();
    }

    /** The items of a JsonArray (its own list). */
    public static List<Object> jsonArrayItems(Object json) {
        return ((JsonArray) json).getList();
    }

    /** A JsonObject around {@code entries}, which it takes over. */
    public static Object jsonObject(Map<String, Object> entries) {
        return new JsonObject(entries);
    }

    /** A JsonArray around {@code items}, which it takes over. */
    public static Object jsonArray(List<Object> items) {
        return new JsonArray(items);
    }

    /**
     * Connects a ReadStream to a subscriber with Reactive Streams demand: paused first, then
     * {@code fetch(n)} for {@code request(n)}; cancelling pauses it and drops the handlers.
     *
     * <p>Vert.x streams are not thread-safe: they expect these calls on the context that delivers
     * their items. Called on a Vert.x context (see {@link #currentContext}), this takes it for the
     * stream's; else the first fetch happens while the stream is paused and idle. Later calls go to
     * the context that delivers the items.
     */
    @SuppressWarnings("unchecked")
    static void subscribe(Object stream, Flow.Subscriber<Object> subscriber) {
        ReadStream<Object> items = (ReadStream<Object>) stream;
        AtomicReference<Context> delivery = new AtomicReference<>(Vertx.currentContext());
        items.pause();
        items.exceptionHandler(subscriber::onError);
        items.endHandler(v -> subscriber.onComplete());
        items.handler(item -> {
            Context current = Vertx.currentContext();
            if (current != null && delivery.get() != current) {
                delivery.set(current);
            }
            subscriber.onNext(item);
        });
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                onStreamContext(delivery.get(), () -> items.fetch(n));
            }

            @Override
            public void cancel() {
                onStreamContext(delivery.get(), () -> {
                    items.pause();
                    items.handler(null);
                    items.endHandler(null);
                    items.exceptionHandler(null);
                });
            }
        });
    }

    /** Runs tasks on the Vert.x context of the calling thread; null if it runs on none. */
    static Executor currentContext() {
        Context context = Vertx.currentContext();
        return context == null ? null : task -> context.runOnContext(v -> task.run());
    }

    static void pause(Object stream) {
        ((ReadStream<?>) stream).pause();
    }

    private static void onStreamContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /**
     * A Vert.x future completed with {@code future}'s outcome: on the caller's Vert.x context if it
     * runs on one (so listeners run there), else wherever {@code future} completes.
     */
    @SuppressWarnings("unchecked")
    public static <T> Future<T> toVertx(CompletableFuture<T> future) {
        Context context = Vertx.currentContext();
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

    /**
     * A Flow publisher as a Vert.x ReadStream: flowing by default (keeping up to a window of
     * items requested), paused and fetched on demand otherwise. Items that arrive while it is
     * paused wait in a buffer, as ReadStreams promise; the end or failure follows the last of them.
     * Handlers run on the Vert.x context that made the stream, or else on the one where its handler
     * was set, if any.
     */
    @SuppressWarnings("unchecked")
    public static <T> ReadStream<T> toReadStream(Flow.Publisher<T> publisher) {
        return new PublisherReadStream<>((Flow.Publisher<Object>) publisher, Vertx.currentContext());
    }

    private static final class PublisherReadStream<T> implements ReadStream<T>, Flow.Subscriber<Object> {
        private static final long WINDOW = 256;
        private final Flow.Publisher<Object> publisher;
        private volatile Context context;
        // Guarded by this:
        private io.vertx.core.Handler<T> handler;
        private io.vertx.core.Handler<Void> endHandler;
        private io.vertx.core.Handler<Throwable> exceptionHandler;
        private Flow.Subscription subscription;
        private boolean subscribed;
        private boolean paused;
        private long fetched; // demand from fetch(), while paused
        private long requested; // requested from the publisher and not yet arrived
        private final ArrayDeque<Object> arrived = new ArrayDeque<>(); // not yet handled
        private boolean ended; // onComplete or onError arrived
        private Throwable failure;
        private boolean endDelivered;

        PublisherReadStream(Flow.Publisher<Object> publisher, Context context) {
            this.publisher = publisher;
            this.context = context;
        }

        @Override
        public synchronized ReadStream<T> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
            this.exceptionHandler = handler;
            return this;
        }

        @Override
        public ReadStream<T> handler(io.vertx.core.Handler<T> handler) {
            boolean subscribe;
            synchronized (this) {
                if (context == null) {
                    context = Vertx.currentContext();
                }
                this.handler = handler;
                subscribe = handler != null && !subscribed;
                subscribed |= subscribe;
                if (handler == null && subscription != null) {
                    subscription.cancel();
                }
            }
            if (subscribe) {
                publisher.subscribe(this);
            }
            return this;
        }

        @Override
        public synchronized ReadStream<T> pause() {
            paused = true;
            return this;
        }

        @Override
        public ReadStream<T> resume() {
            synchronized (this) {
                paused = false;
            }
            run(this::deliver);
            return this;
        }

        @Override
        public ReadStream<T> fetch(long amount) {
            synchronized (this) {
                fetched = fetched + amount < 0 ? Long.MAX_VALUE : fetched + amount;
            }
            run(this::deliver);
            return this;
        }

        @Override
        public synchronized ReadStream<T> endHandler(io.vertx.core.Handler<Void> handler) {
            this.endHandler = handler;
            return this;
        }

        /** Tops the request window up: to WINDOW while flowing, to the fetched amount while paused. */
        private void requestMore() {
            Flow.Subscription s;
            long more;
            synchronized (this) {
                s = subscription;
                long wanted = paused ? Math.min(fetched, WINDOW) : WINDOW;
                more = wanted - requested - arrived.size();
                if (s == null || ended || more <= 0) {
                    return;
                }
                requested += more;
            }
            s.request(more);
        }

        /**
         * Hands arrived items to the handler as far as the stream flows or was fetched, then the
         * end (or failure) once none is left, then asks the publisher for more. On the context.
         */
        @SuppressWarnings("unchecked")
        private void deliver() {
            while (true) {
                Object item;
                io.vertx.core.Handler<T> h;
                synchronized (this) {
                    if (arrived.isEmpty() || (paused && fetched == 0)) {
                        break;
                    }
                    item = arrived.poll();
                    if (paused) {
                        fetched--;
                    }
                    h = handler;
                }
                if (h != null) {
                    h.handle((T) item);
                }
            }
            io.vertx.core.Handler<Void> end = null;
            io.vertx.core.Handler<Throwable> error = null;
            Throwable f;
            synchronized (this) {
                f = failure;
                if (ended && arrived.isEmpty() && !endDelivered) {
                    endDelivered = true;
                    end = f == null ? endHandler : null;
                    error = f != null ? exceptionHandler : null;
                }
            }
            if (end != null) {
                end.handle(null);
            } else if (error != null) {
                error.handle(f);
            }
            requestMore();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (this) {
                subscription = s;
            }
            requestMore();
        }

        @Override
        public void onNext(Object item) {
            synchronized (this) {
                requested--;
                arrived.add(item);
            }
            run(this::deliver);
        }

        @Override
        public void onError(Throwable error) {
            synchronized (this) {
                ended = true;
                failure = error;
            }
            run(this::deliver);
        }

        @Override
        public void onComplete() {
            synchronized (this) {
                ended = true;
            }
            run(this::deliver);
        }

        private void run(Runnable action) {
            Context context = this.context;
            if (context == null) {
                action.run();
            } else {
                context.runOnContext(v -> action.run());
            }
        }
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
