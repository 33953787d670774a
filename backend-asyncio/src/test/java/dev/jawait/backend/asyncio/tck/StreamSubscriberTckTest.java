package dev.jawait.backend.asyncio.tck;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;

/**
 * The Reactive Streams TCK (1.0.4) on jawait's subscriber: the one a stream function's async
 * generator uses, consumed by a real Python {@code async for} on an asyncio loop. Blackbox: its
 * demand comes from Python's consumption, which a whitebox probe could not steer.
 */
public class StreamSubscriberTckTest extends FlowSubscriberBlackboxVerification<Object> {
    public StreamSubscriberTckTest() {
        super(new TestEnvironment(1000, 200));
    }

    @Override
    public Flow.Subscriber<Object> createFlowSubscriber() {
        @SuppressWarnings("unchecked")
        Flow.Subscriber<Object> subscriber = (Flow.Subscriber<Object>) TckLoop.consumedSubscriber();
        return subscriber;
    }

    @Override
    public Object createElement(int element) {
        return element;
    }
}
