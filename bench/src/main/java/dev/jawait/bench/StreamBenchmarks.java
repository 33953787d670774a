package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.PythonStreams;
import dev.jawait.export.ModuleDefinition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * Streams both ways: a Java publisher consumed by {@code async for}, against a pure-Python async
 * generator; and a Python async generator consumed by a Java subscriber requesting in batches.
 */
final class StreamBenchmarks {
    private StreamBenchmarks() {}

    private static final int ITEMS = 1_000_000;
    private static final int BATCH = 1024;

    static final ModuleDefinition MODULE = ModuleDefinition.builder("jawait_bench_streams")
            .streamFunction("numbers", f -> f.param("count", long.class).body(args -> numbers(args.getLong("count"))))
            .asyncFunction(
                    "count",
                    f -> f.param("iterable", PyObject.class)
                            .body(args -> count(PythonStreams.toPublisher(
                                    args.py(), (PyObject) args.get("iterable"), Object.class))))
            .build();

    /** 0..count-1, emitted on the requesting thread as demand allows. */
    private static Flow.Publisher<Long> numbers(long count) {
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            long next;
            boolean done;

            @Override
            public void request(long n) {
                for (long i = 0; i < n && next < count; i++) {
                    subscriber.onNext(next++);
                }
                if (next == count && !done) {
                    done = true;
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                done = true;
            }
        });
    }

    /** Counts the items, requesting {@link #BATCH} at a time. */
    private static CompletableFuture<Long> count(Flow.Publisher<Object> publisher) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<>() {
            Flow.Subscription subscription;
            long count;
            long left;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                left = BATCH;
                s.request(BATCH);
            }

            @Override
            public void onNext(Object item) {
                count++;
                if (--left == 0) {
                    left = BATCH;
                    subscription.request(BATCH);
                }
            }

            @Override
            public void onError(Throwable failure) {
                result.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                result.complete(count);
            }
        });
        return result;
    }

    static void run(Python python, Measure.Plan plan, Report report) {
        python.register(MODULE);
        python.run(py -> py.exec(String.join(
                "\n",
                "import asyncio, gc, time, jawait_bench_streams",
                "async def python_numbers(n):",
                "    for i in range(n):",
                "        yield i",
                "async def rate_of_async_for(stream, n):",
                "    start = time.perf_counter()",
                "    count = 0",
                "    async for _ in stream:",
                "        count += 1",
                "    assert count == n",
                "    return n / (time.perf_counter() - start)",
                "async def rate_of_java_subscriber(n):",
                "    start = time.perf_counter()",
                "    assert await jawait_bench_streams.count(python_numbers(n)) == n",
                "    return n / (time.perf_counter() - start)")));
        int items = plan.ops(ITEMS);
        report.add(
                "baseline.python_async_gen_items_per_s",
                rate(python, plan, "rate_of_async_for(python_numbers(%d), %<d)", items));
        report.add(
                "stream.java_to_python.items_per_s",
                rate(python, plan, "rate_of_async_for(jawait_bench_streams.numbers(%d), %<d)", items),
                "baseline.python_async_gen_items_per_s");
        report.add(
                "stream.python_to_java.items_per_s",
                rate(python, plan, "rate_of_java_subscriber(%d)", items),
                "baseline.python_async_gen_items_per_s");
    }

    private static double rate(Python python, Measure.Plan plan, String call, int items) {
        return Measure.python(python, plan, "asyncio.run(" + String.format(call, items) + ")");
    }
}
