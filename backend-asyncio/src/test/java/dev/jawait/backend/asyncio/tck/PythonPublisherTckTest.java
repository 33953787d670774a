package dev.jawait.backend.asyncio.tck;

import dev.jawait.PyObject;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK (1.0.4) on jawait's publisher of a Python async generator, iterated on
 * an asyncio loop of jawait's. Optional tests the TCK skips by its own rules: multiple subscribers
 * (an async iterator is consumed once, so a second subscriber gets onError).
 */
public class PythonPublisherTckTest extends FlowPublisherVerification<Object> {
    // Timeouts bound how long the TCK waits for a signal; generous for a loaded 2-core machine.
    public PythonPublisherTckTest() {
        super(new TestEnvironment(1000, 200), 2000);
    }

    @Override
    public Flow.Publisher<Object> createFlowPublisher(long elements) {
        PyObject generator = TckLoop.generator("numbers", elements);
        try {
            return TckLoop.loop().publisher(Object.class, generator);
        } finally {
            generator.close();
        }
    }

    @Override
    public Flow.Publisher<Object> createFailedFlowPublisher() {
        PyObject generator = TckLoop.generator("failing");
        try {
            return TckLoop.loop().publisher(Object.class, generator);
        } finally {
            generator.close();
        }
    }
}
