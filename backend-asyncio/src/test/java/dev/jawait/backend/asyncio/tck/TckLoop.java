package dev.jawait.backend.asyncio.tck;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.testing.TestPython;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/** The Python side of the TCK runs: an asyncio loop of jawait's, and Python sources and consumers on it. */
final class TckLoop {
    private TckLoop() {}

    /** Subscribers that Python consumers created (one per tck_stream.items() iteration). */
    static final LinkedBlockingQueue<Flow.Subscriber<? super Object>> SUBSCRIBERS = new LinkedBlockingQueue<>();

    /** A stream function whose publisher hands its subscriber (jawait's) to the TCK instead of feeding it. */
    private static final ModuleDefinition MODULE = ModuleDefinition.builder("tck_stream")
            .streamFunction("items", f -> f.body(args -> (Flow.Publisher<Object>) SUBSCRIBERS::add))
            .build();

    private static Python python;
    private static EventLoop loop;
    private static PyObject helpers;

    static synchronized EventLoop loop() {
        if (loop == null) {
            python = TestPython.get();
            python.register(MODULE);
            loop = EventLoop.start(python, "asyncio");
            helpers = python.attach(py -> {
                py.exec(String.join(
                        "\n",
                        "import types, sys",
                        "tck_helpers = types.ModuleType('tck_helpers')",
                        "exec('''",
                        "import asyncio, itertools, tck_stream",
                        "async def numbers(n):",
                        "    for i in (itertools.count() if n >= 2**62 else range(n)):",
                        "        yield i",
                        "class Broken:",
                        "    # A source that has failed: it cannot even start iterating.",
                        "    def __aiter__(self):",
                        "        raise RuntimeError('the TCK asked for a failed publisher')",
                        "def failing():",
                        "    return Broken()",
                        "async def consume():",
                        "    async for item in tck_stream.items():",
                        "        await asyncio.sleep(0)",
                        "''', tck_helpers.__dict__)",
                        "sys.modules['tck_helpers'] = tck_helpers"));
                return py.importModule("tck_helpers");
            });
        }
        return loop;
    }

    /** A Python async generator from tck_helpers, made on the loop's side of things. */
    static PyObject generator(String name, Object... args) {
        loop();
        return python.attach(py -> {
            try (PyObject function = helpers.getAttr(name)) {
                return function.call(args);
            }
        });
    }

    /** Starts a Python consumer ({@code async for} over jawait's subscriber) and returns that subscriber. */
    static Flow.Subscriber<? super Object> consumedSubscriber() {
        EventLoop running = loop(); // first: it starts Python
        PyObject consume = python.attach(py -> helpers.getAttr("consume"));
        CompletableFuture<Object> consumer = running.submit(consume);
        consume.close();
        try {
            return SUBSCRIBERS.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            consumer.cancel(true);
            throw new IllegalStateException(e);
        }
    }
}
