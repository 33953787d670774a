package dev.jawait.backend.sniffio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.async.PythonStreams;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.testing.TestPython;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Vert.x is optional: this module's class path has none (checked below), and Java objects, async
 * functions, streams both ways and owned loops all work.
 */
class WithoutVertxTest {
    record Token(String name) {}

    private static final ModuleDefinition MODULE = ModuleDefinition.builder("no_vertx")
            .function("token", f -> f.param("name", String.class).body(args -> new Token(args.getString("name"))))
            .asyncFunction(
                    "later",
                    f -> f.param("value", Object.class)
                            .body(args -> CompletableFuture.supplyAsync(() -> args.get("value"))))
            .streamFunction(
                    "letters",
                    f -> f.param("word", String.class).body(args -> {
                        SubmissionPublisher<String> publisher = new SubmissionPublisher<>();
                        String word = args.getString("word");
                        CompletableFuture.runAsync(() -> {
                            while (publisher.getNumberOfSubscribers() == 0) {
                                Thread.onSpinWait();
                            }
                            word.chars().forEach(c -> publisher.submit(String.valueOf((char) c)));
                            publisher.close();
                        });
                        return publisher;
                    }))
            .asyncFunction(
                    "join",
                    f -> f.param("iterable", PyObject.class).body(args -> {
                        CompletableFuture<String> joined = new CompletableFuture<>();
                        PythonStreams.toPublisher(args.py(), (PyObject) args.get("iterable"), String.class)
                                .subscribe(new Flow.Subscriber<>() {
                                    final StringBuilder text = new StringBuilder();

                                    @Override
                                    public void onSubscribe(Flow.Subscription s) {
                                        s.request(Long.MAX_VALUE);
                                    }

                                    @Override
                                    public void onNext(String item) {
                                        text.append(item);
                                    }

                                    @Override
                                    public void onError(Throwable failure) {
                                        joined.completeExceptionally(failure);
                                    }

                                    @Override
                                    public void onComplete() {
                                        joined.complete(text.toString());
                                    }
                                });
                        return joined;
                    }))
            .build();

    @Test
    void theClassPathHasNoVertx() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.vertx.core.Future"));
    }

    @Test
    void javaObjectsAsyncFunctionsAndStreamsWork() throws Exception {
        Python python = TestPython.get();
        python.register(MODULE);
        String result = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import asyncio, no_vertx",
                    "async def words():",
                    "    for word in ('no', ' ', 'vertx'):",
                    "        yield word",
                    "async def main():",
                    "    token = no_vertx.token('t')",
                    "    return [repr(token), await no_vertx.later(42), [c async for c in no_vertx.letters('abc')],",
                    "            await no_vertx.join(words())]",
                    "outcome = asyncio.run(main())"));
            return py.eval("outcome").str();
        });
        assertEquals(
                "['<java dev.jawait.backend.sniffio.WithoutVertxTest$Token: Token[name=t]>', 42, "
                        + "['a', 'b', 'c'], 'no vertx']",
                result);
        try (EventLoop loop = EventLoop.start(python, "asyncio")) {
            PyObject words = python.attach(py -> py.eval("words"));
            List<Object> collected = new ArrayList<>();
            PyObject generator = python.attach(py -> words.call());
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.publisher(String.class, generator).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(10);
                }

                @Override
                public void onNext(String item) {
                    collected.add(item);
                }

                @Override
                public void onError(Throwable failure) {
                    done.completeExceptionally(failure);
                }

                @Override
                public void onComplete() {
                    done.complete(null);
                }
            });
            done.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("no", " ", "vertx"), collected);
            python.run(py -> {
                words.close();
                generator.close();
            });
        }
    }
}
