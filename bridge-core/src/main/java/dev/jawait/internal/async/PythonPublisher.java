package dev.jawait.internal.async;

import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import java.lang.reflect.Type;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Python async iterable (an async generator, say) as a {@link Flow.Publisher}, running on one
 * event loop. It serves one subscriber; a second gets {@code onError} (multiple subscribers are
 * optional in Reactive Streams, and an async iterator can only be consumed once).
 */
public final class PythonPublisher implements Flow.Publisher<Object> {
    private static final PyFunctionRef PUMP = new PyFunctionRef("jawait._streams", "pump");

    private final LoopChannel channel;
    private final String backendModule;
    private final LoopObject source;
    private final KeptArguments arguments;
    private final Converters.Converter converter;
    private final String description;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    /**
     * {@code source} makes, on the loop, an async iterable or a function returning one (called there
     * with {@code arguments}); both are taken over: released once the stream ends.
     */
    public PythonPublisher(
            LoopChannel channel,
            String backendModule,
            LoopObject source,
            KeptArguments arguments,
            Type itemType,
            String description) {
        this.channel = channel;
        this.backendModule = backendModule;
        this.source = source;
        this.arguments = arguments;
        this.converter = Converters.forType(itemType);
        this.description = description;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Object> subscriber) {
        Objects.requireNonNull(subscriber, "subscribe(null)"); // rule 1.9
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException(
                    description + " has a subscriber already; an async " + "iterator can be consumed once"));
            return;
        }
        PythonSubscription subscription = new PythonSubscription(subscriber, converter, description);
        subscriber.onSubscribe(subscription);
        PythonTask pump = PythonTask.submit(
                channel,
                backendModule,
                Boolean.class,
                new LoopObject() {
                    @Override
                    public long create() {
                        long iterable = source.create();
                        long sink = 0;
                        long module = 0;
                        long args = 0;
                        try {
                            sink = JavaObjects.wrap(subscription);
                            module = ToPython.string(backendModule);
                            args = arguments.toList();
                            return PyCalls.call(PUMP.get(), iterable, sink, module, args);
                        } finally {
                            for (long o : new long[] {iterable, sink, module, args}) {
                                if (o != 0) {
                                    CPython.Py_DecRef(o);
                                }
                            }
                        }
                    }

                    @Override
                    public void release() {
                        source.release();
                        arguments.close();
                    }
                },
                description);
        subscription.attachPump(pump);
    }
}
