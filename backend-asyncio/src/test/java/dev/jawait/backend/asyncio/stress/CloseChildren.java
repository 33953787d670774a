package dev.jawait.backend.asyncio.stress;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.async.PythonStreams;
import dev.jawait.export.ModuleDefinition;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that calls {@code python.close()} from one kind of callback (the mode, its argument)
 * and reports whether Python closed: never a hang, never a crash.
 */
public final class CloseChildren {
    private CloseChildren() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Python python = Python.builder().discoverModules(false).start();
        python.register(ModuleDefinition.builder("closing")
                .asyncFunction(
                        "hook_closes",
                        f -> f.body(a -> {
                            a.cancellation().onCancel(python::close);
                            return new CompletableFuture<>();
                        }))
                .function(
                        "released_body_closes",
                        f -> f.releaseGil(true).body(a -> {
                            python.close();
                            return "returned";
                        }))
                .asyncFunction(
                        "executor_body_closes",
                        f -> f.body(a -> {
                            python.close();
                            return CompletableFuture.completedFuture("returned");
                        }))
                .function(
                        "stream_subscriber_closes",
                        f -> f.body(a -> {
                                    Flow.Publisher<Object> items =
                                            PythonStreams.toPublisher(a.py(), (PyObject) a.get(0), Object.class);
                                    items.subscribe(new ClosingSubscriber(python));
                                    return null;
                                })
                                .param("iterable", PyObject.class))
                .build());
        python.register(ModuleDefinition.builder("closing_on_executor")
                .asyncFunction(
                        "body_closes",
                        f -> f.body(a -> {
                            python.close();
                            return CompletableFuture.completedFuture("returned");
                        }))
                .build()
                .runningOn(Executors.newSingleThreadExecutor(task -> {
                    Thread thread = new Thread(task, "closing-executor");
                    thread.setDaemon(true);
                    return thread;
                })));
        python.run(py -> py.exec(String.join(
                "\n",
                "import asyncio, closing, closing_on_executor",
                "async def value():",
                "    return 42",
                "async def numbers():",
                "    for i in range(3):",
                "        yield i")));
        try (EventLoop loop = EventLoop.start(python, "asyncio")) {
            PyObject value = python.attach(py -> py.eval("value"));
            PyObject code = python.attach(py -> py.eval("lambda source: asyncio.ensure_future(eval(source))"));
            switch (mode) {
                case "submit-callback" -> loop.submit(value).whenComplete((v, e) -> python.close());
                case "submit-callback-async" -> loop.submit(value).whenCompleteAsync((v, e) -> python.close());
                case "cancel-hook" -> report(loop.submit(code, "asyncio.wait_for(closing.hook_closes(), 0.05)"));
                case "released-body" -> report(loop.submit(code, "asyncio.sleep(0, closing.released_body_closes())"));
                case "module-executor" -> report(loop.submit(code, "closing_on_executor.body_closes()"));
                case "stream-subscriber" ->
                    report(loop.submit(code, "asyncio.sleep(0, closing.stream_subscriber_closes(numbers()))"));
                case "detach" -> python.run(py -> py.detach(python::close));
                case "attached" -> {
                    try {
                        python.run(py -> python.close());
                    } catch (IllegalStateException e) {
                        System.out.println("refused: " + e.getMessage());
                    }
                    python.close();
                }
                default -> throw new IllegalArgumentException(mode);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (python.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            System.out.println("closed: " + !python.isRunning());
            System.out.println("attach afterwards: " + python.tryAttach(py -> "ran"));
        }
        System.out.println("done");
    }

    /** Prints how submitted work failed, if it did: a failure other than the shutdown itself. */
    private static void report(CompletableFuture<Object> work) {
        work.whenComplete((value, failure) -> {
            if (failure != null && !(failure instanceof CancellationException)) {
                System.out.println("work failed: " + failure);
            }
        });
    }

    /** Closes Python from onNext, as a subscriber of a Python async generator. */
    private record ClosingSubscriber(Python python) implements Flow.Subscriber<Object> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Object item) {
            python.close();
        }

        @Override
        public void onError(Throwable throwable) {
            System.out.println("stream failed: " + throwable);
        }

        @Override
        public void onComplete() {}
    }
}
