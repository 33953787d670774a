package dev.jawait.backend.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.PythonException;
import dev.jawait.async.EventLoop;
import dev.jawait.testing.TestPython;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The Vert.x-shaped side of EventLoop, used from a deployed verticle: futures and ReadStreams of
 * Python work complete, and call their handlers, on the verticle's own context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class VertxApiTest {
    private Vertx vertx;
    private EventLoop loop;

    @BeforeAll
    void start() {
        TestPython.get()
                .run(py -> py.exec(String.join(
                        "\n",
                        "import asyncio, sys, types",
                        "work = types.ModuleType('vertx_api_work')",
                        "exec('''",
                        "import asyncio",
                        "async def describe(n):",
                        "    await asyncio.sleep(0.01)",
                        "    return f'n={n}'",
                        "async def fail(message):",
                        "    await asyncio.sleep(0)",
                        "    raise ValueError(message)",
                        "async def countdown(n):",
                        "    for i in range(n, 0, -1):",
                        "        await asyncio.sleep(0)",
                        "        yield i",
                        "''', work.__dict__)",
                        "sys.modules[work.__name__] = work")));
        vertx = Vertx.vertx();
        loop = EventLoop.start(TestPython.get(), "asyncio");
    }

    @AfterAll
    void stop() throws Exception {
        loop.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Deploys a verticle whose start() runs {@code body} on its context; completes with what body reports. */
    private <T> T inVerticle(VerticleBody<T> body) throws Exception {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        vertx.deployVerticle(new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        body.run(context, outcome);
                        return Future.succeededFuture();
                    }
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return outcome.get(30, TimeUnit.SECONDS);
    }

    @FunctionalInterface
    private interface VerticleBody<T> {
        void run(Context verticleContext, CompletableFuture<T> outcome);
    }

    /** Where a callback ran: "verticle" on the verticle's context and event-loop thread, else what it was. */
    private static String where(Context verticleContext) {
        Context current = Vertx.currentContext();
        return current == verticleContext && Context.isOnEventLoopThread()
                ? "verticle"
                : "elsewhere: " + Thread.currentThread().getName() + " " + current;
    }

    @Test
    void aFutureByNameCompletesOnTheCallersContext() throws Exception {
        String seen = inVerticle((context, outcome) -> loop.future(String.class, "vertx_api_work.describe", 21)
                .onComplete(result -> outcome.complete(where(context) + ": " + result.result())));
        assertEquals("verticle: n=21", seen);
    }

    @Test
    void aFutureOfAFunctionObjectCompletesOnTheCallersContextToo() throws Exception {
        var describe =
                TestPython.get().attach(py -> py.importModule("vertx_api_work").getAttr("describe"));
        String seen = inVerticle((context, outcome) -> loop.future(String.class, describe, 5)
                .map(text -> where(context) + ": " + text)
                .onComplete(result -> outcome.complete(result.result())));
        describe.close();
        assertEquals("verticle: n=5", seen);
    }

    @Test
    void failuresArriveOnTheCallersContextWithThePythonException() throws Exception {
        List<Object> seen =
                inVerticle((context, outcome) -> loop.future(String.class, "vertx_api_work.fail", "no stock")
                        .onComplete(result -> outcome.complete(List.of(where(context), result.cause()))));
        assertEquals("verticle", seen.get(0));
        PythonException e = assertInstanceOf(PythonException.class, seen.get(1));
        assertEquals("ValueError", e.pythonType());
        assertEquals("no stock", e.pythonMessage());
    }

    @Test
    void aResultOfTheWrongTypeFailsTheFutureOnTheCallersContext() throws Exception {
        List<Object> seen = inVerticle((context, outcome) -> loop.future(Long.class, "vertx_api_work.describe", 1)
                .onComplete(result -> outcome.complete(List.of(where(context), result.cause()))));
        assertEquals("verticle", seen.get(0));
        assertTrue(assertInstanceOf(ClassCastException.class, seen.get(1))
                .getMessage()
                .contains("returned a Python str"));
    }

    @Test
    void aReadStreamByNameDeliversItemsAndItsEndOnTheCallersContext() throws Exception {
        List<String> seen = inVerticle((context, outcome) -> {
            List<String> events = new ArrayList<>();
            loop.readStream(Long.class, "vertx_api_work.countdown", 3)
                    .handler(item -> events.add(where(context) + ": " + item))
                    .exceptionHandler(outcome::completeExceptionally)
                    .endHandler(v -> {
                        events.add(where(context) + ": end");
                        outcome.complete(events);
                    });
        });
        assertEquals(List.of("verticle: 3", "verticle: 2", "verticle: 1", "verticle: end"), seen);
    }

    @Test
    void offAnyContextTheFutureStillCompletes() throws Exception {
        Promise<String> done = Promise.promise();
        loop.future(String.class, "vertx_api_work.describe", 2).onComplete(done);
        assertEquals(
                "n=2", done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @Test
    void aNameWithoutAModuleIsRefusedWithTheFix() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> loop.future(String.class, "describe"));
        assertTrue(
                e.getMessage().contains("'describe' is not a module-qualified name; give \"module.function\""),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.readStream(String.class, "countdown."));
    }
}
