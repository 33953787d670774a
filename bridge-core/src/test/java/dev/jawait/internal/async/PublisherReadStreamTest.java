package dev.jawait.internal.async;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A Flow publisher seen as a Vert.x ReadStream keeps the ReadStream contract: nothing flows while paused. */
class PublisherReadStreamTest {
    /** 0..count-1, emitted inside request() as demand allows; fails at the end if {@code failure} is set. */
    private static Flow.Publisher<Long> numbers(long count, RuntimeException failure) {
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private long next;

            @Override
            public void request(long n) {
                for (long i = 0; i < n && next < count; i++) {
                    subscriber.onNext(next++);
                }
                if (next == count) {
                    next++;
                    if (failure == null) {
                        subscriber.onComplete();
                    } else {
                        subscriber.onError(failure);
                    }
                }
            }

            @Override
            public void cancel() {}
        });
    }

    @Test
    void itemsThatArriveWhilePausedWaitForFetchOrResume() {
        ReadStream<Long> stream = VertxSupport.toReadStream(numbers(100, null));
        List<Object> seen = new ArrayList<>();
        stream.endHandler(v -> seen.add("end"));
        stream.handler(item -> {
            seen.add(item);
            if (item == 2) {
                stream.pause();
            }
        });
        assertEquals(List.of(0L, 1L, 2L), seen); // the publisher sent more, but the stream is paused
        stream.fetch(2);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seen);
        stream.resume();
        List<Object> all = new ArrayList<>(LongStream.range(0, 100).boxed().toList());
        all.add("end");
        assertEquals(all, seen);
    }

    @Test
    void aFailureFollowsTheItemsBeforeIt() {
        ReadStream<Long> stream = VertxSupport.toReadStream(numbers(5, new IllegalStateException("broken")));
        List<Object> seen = new ArrayList<>();
        stream.pause();
        stream.exceptionHandler(e -> seen.add(e.getMessage()));
        stream.handler(seen::add);
        assertEquals(List.of(), seen);
        stream.fetch(3);
        assertEquals(List.of(0L, 1L, 2L), seen);
        stream.fetch(10);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, "broken"), seen);
    }
}
