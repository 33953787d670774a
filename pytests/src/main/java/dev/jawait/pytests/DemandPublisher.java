package dev.jawait.pytests;

import java.util.concurrent.Flow;
import java.util.function.LongFunction;

/**
 * The suites' synchronous publisher: emits items {@code 0..count-1} (as made by {@code item})
 * inside {@code request()}, on the requesting thread, as far as demand allows; then completes, or
 * fails with {@code failure}. A {@link StreamTestModule.Stats}, if given, records what it saw.
 */
final class DemandPublisher<T> implements Flow.Publisher<T> {
    private final long count;
    private final LongFunction<T> item;
    private final Throwable failure;
    private final StreamTestModule.Stats stats;

    DemandPublisher(long count, LongFunction<T> item, Throwable failure, StreamTestModule.Stats stats) {
        this.count = count;
        this.item = item;
        this.failure = failure;
        this.stats = stats;
    }

    @Override
    @SuppressWarnings("unchecked") // publishers with Stats emit Longs
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        if (stats != null) {
            stats.subscriber = (Flow.Subscriber<? super Long>) subscriber;
        }
        subscriber.onSubscribe(new Flow.Subscription() {
            private long next;
            private boolean done;

            @Override
            public void request(long n) {
                if (stats != null) {
                    stats.requested.addAndGet(n);
                }
                for (long i = 0; i < n && next < count && !done; i++) {
                    if (stats != null) {
                        stats.emitted.incrementAndGet();
                    }
                    subscriber.onNext(item.apply(next++));
                }
                if (next == count && !done) {
                    done = true;
                    if (failure == null) {
                        subscriber.onComplete();
                    } else {
                        subscriber.onError(failure);
                    }
                }
            }

            @Override
            public void cancel() {
                done = true;
                if (stats != null) {
                    stats.cancelled = true;
                }
            }
        });
        if (stats != null) {
            stats.subscribed.countDown();
        }
    }
}
