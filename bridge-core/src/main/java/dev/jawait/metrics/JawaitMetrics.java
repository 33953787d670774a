package dev.jawait.metrics;

import dev.jawait.internal.async.AsyncCalls;
import dev.jawait.internal.runtime.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * jawait's Micrometer metrics (Micrometer is an optional dependency: add
 * {@code io.micrometer:micrometer-core} to use them). Bind once, before the work to measure:
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();   // or Prometheus, JMX, Vert.x's registry...
 * new JawaitMetrics().bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code jawait.gil.wait}</td><td>timer</td><td>time Java threads waited to take the GIL</td></tr>
 *   <tr><td>{@code jawait.wake.batch.size}</td><td>summary</td><td>completions and actions an event loop took per wake (its count: the wakes)</td></tr>
 *   <tr><td>{@code jawait.futures.pending}</td><td>gauge</td><td>awaits of Java futures not complete yet, in all</td></tr>
 *   <tr><td>{@code jawait.loop.futures.pending}</td><td>gauge, tag {@code loop}</td><td>Java futures awaited by the coroutines of the event loops of each name: the name given to {@code EventLoop.start} (a Python verticle's module), else the library ({@code asyncio}, {@code trio}); never an address</td></tr>
 *   <tr><td>{@code jawait.stream.buffered}</td><td>gauge</td><td>items Java streams hold until Python takes them</td></tr>
 *   <tr><td>{@code jawait.python.exceptions}</td><td>counter, tag {@code type}</td><td>Python exceptions that reached Java</td></tr>
 * </table>
 *
 * <p>With no metrics bound, each measuring point costs a read of a null field; the wake benchmark
 * with metrics off runs as fast as without them.
 */
public final class JawaitMetrics implements MeterBinder {
    /** A binder of jawait's meters; bind it to one registry. */
    public JawaitMetrics() {}

    @Override
    public void bindTo(MeterRegistry registry) {
        Timer gilWait = Timer.builder("jawait.gil.wait")
                .description("Time Java threads waited to take the GIL")
                .register(registry);
        DistributionSummary wakeBatch = DistributionSummary.builder("jawait.wake.batch.size")
                .description("Completions and actions an event loop took per wake")
                .register(registry);
        Gauge.builder("jawait.futures.pending", AsyncCalls::livePendingCalls)
                .description("Awaits of Java futures not complete yet")
                .register(registry);
        Map<Object, IntSupplier> buffered = Collections.synchronizedMap(new WeakHashMap<>());
        Gauge.builder("jawait.stream.buffered", () -> {
                    synchronized (buffered) {
                        return buffered.values().stream()
                                .mapToInt(IntSupplier::getAsInt)
                                .sum();
                    }
                })
                .description("Items Java streams hold until Python takes them")
                .register(registry);
        Map<String, Counter> exceptions = new ConcurrentHashMap<>();
        // One gauge per loop name, summing the loops of that name: the tag's values stay as few as the names.
        Map<String, Map<Object, IntSupplier>> loopsByName = new ConcurrentHashMap<>();
        Map<String, Meter> loopGauges = new ConcurrentHashMap<>();
        Map<Object, String> loopNames = Collections.synchronizedMap(new IdentityHashMap<>());
        Metrics.sink = new Metrics.Sink() {
            @Override
            public void gilWaited(long nanos) {
                gilWait.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void wakeBatch(int items) {
                wakeBatch.record(items);
            }

            @Override
            public void pythonException(String type) {
                exceptions
                        .computeIfAbsent(
                                type,
                                t -> Counter.builder("jawait.python.exceptions")
                                        .tag("type", t)
                                        .description("Python exceptions that reached Java")
                                        .register(registry))
                        .increment();
            }

            @Override
            public void loopOpened(Object channel, String name, IntSupplier awaiting) {
                synchronized (loopsByName) {
                    loopNames.put(channel, name);
                    Map<Object, IntSupplier> members = loopsByName.computeIfAbsent(
                            name, n -> Collections.synchronizedMap(new IdentityHashMap<>()));
                    members.put(channel, awaiting);
                    loopGauges.computeIfAbsent(
                            name,
                            n -> Gauge.builder("jawait.loop.futures.pending", members, m -> {
                                        synchronized (m) {
                                            return m.values().stream()
                                                    .mapToInt(IntSupplier::getAsInt)
                                                    .sum();
                                        }
                                    })
                                    .strongReference(true) // nothing else holds the map: weakly held, a GC made it NaN
                                    .tags(List.of(Tag.of("loop", n)))
                                    .description(
                                            "Java futures awaited by the coroutines of the event loops of this name")
                                    .register(registry));
                }
            }

            @Override
            public void loopClosed(Object channel) {
                synchronized (loopsByName) {
                    String name = loopNames.remove(channel);
                    Map<Object, IntSupplier> members = name == null ? null : loopsByName.get(name);
                    if (members == null) {
                        return;
                    }
                    members.remove(channel);
                    if (members.isEmpty()) {
                        loopsByName.remove(name);
                        Meter gauge = loopGauges.remove(name);
                        if (gauge != null) {
                            registry.remove(gauge);
                        }
                    }
                }
            }

            @Override
            public void streamOpened(Object stream, IntSupplier items) {
                buffered.put(stream, items);
            }
        };
    }
}
