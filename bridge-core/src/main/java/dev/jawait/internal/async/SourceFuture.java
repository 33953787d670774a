package dev.jawait.internal.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/** One view of the futures a Java async function may return. */
interface SourceFuture {
    /** Whether it has completed; then {@link #failure()} and {@link #result()} are final. */
    boolean isDone();

    /** The failure (unwrapped from CompletionException), or null after success. */
    Throwable failure();

    Object result();

    /** Calls {@code listener(result, failure)} on completion, at once if already complete, on any thread. */
    void onComplete(BiConsumer<Object, Throwable> listener);

    /** Stops the work if the future type can: {@code cancel(true)} for CompletableFuture. */
    void cancel();

    /** Adapts {@code future}, or throws naming the function if it is not a supported future. */
    static SourceFuture of(Object future, String function) {
        if (future instanceof CompletionStage<?> stage) {
            return new Stage(stage);
        }
        if (OptionalVertx.isFuture(future)) {
            return VertxSupport.source(future);
        }
        throw new IllegalStateException(function + "() returned "
                + (future == null ? "null" : future.getClass().getName())
                + " instead of a CompletionStage or Vert.x Future");
    }

    static Throwable unwrap(Throwable failure) {
        while ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    /**
     * A CompletionStage, inspected through {@code toCompletableFuture()} (itself for a
     * CompletableFuture; a dependent copy for others, such as minimal stages, whose own inspection
     * methods throw). Only a genuine CompletableFuture is cancelled.
     */
    final class Stage implements SourceFuture {
        private final CompletionStage<?> stage;
        private final CompletableFuture<?> future;
        private final boolean cancellable;

        Stage(CompletionStage<?> stage) {
            this.stage = stage;
            CompletableFuture<?> inspectable;
            try {
                inspectable = stage.toCompletableFuture();
            } catch (UnsupportedOperationException e) {
                inspectable = null;
            }
            this.future = inspectable;
            this.cancellable = inspectable == stage;
        }

        @Override
        public boolean isDone() {
            return future != null && future.isDone();
        }

        @Override
        public Throwable failure() {
            if (!future.isCompletedExceptionally()) {
                return null;
            }
            // Not join(): from JDK 23 it throws a new CancellationException in place of the future's own.
            Throwable[] failure = new Throwable[1];
            future.whenComplete((result, e) -> failure[0] = e); // runs at once: the future is complete
            return unwrap(failure[0]);
        }

        @Override
        public Object result() {
            return future.getNow(null);
        }

        @Override
        public void onComplete(BiConsumer<Object, Throwable> listener) {
            stage.whenComplete((value, failure) -> listener.accept(value, failure == null ? null : unwrap(failure)));
        }

        @Override
        public void cancel() {
            if (cancellable) {
                future.cancel(true);
            }
        }
    }
}
