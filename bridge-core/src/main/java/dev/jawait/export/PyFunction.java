package dev.jawait.export;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exports a method of a {@link PyModule} class as a Python function. Static and instance methods
 * both work; parameters are converted from Python by their declared (generic) types, the result
 * back to Python by its runtime type. A parameter of type {@link dev.jawait.Py} receives the GIL
 * token, one of type {@link Cancellation} the call's cancellation; neither is visible from Python.
 *
 * <p>A method returning {@code CompletionStage}, {@code CompletableFuture} or Vert.x {@code Future}
 * is an <em>async function</em>: calling it from Python returns a coroutine, and the method runs
 * only when that coroutine is first awaited (or scheduled as a task). The coroutine completes with
 * the future's converted result, or raises its failure; cancelling it cancels the future.
 * <pre>{@code
 * @PyFunction(backend = "trio")
 * public CompletableFuture<String> fetch(String url) { ... }
 * // Python, under trio: body = await shop.fetch("https://example.com")
 * }</pre>
 *
 * <p>A method returning {@code java.util.concurrent.Flow.Publisher} or Vert.x {@code ReadStream}
 * is a <em>stream function</em>: calling it returns an async generator over the items
 * ({@code async for line in shop.lines(path)}), which subscribes when first iterated, requests items
 * only as they are consumed (at most {@link #prefetch()} requested or buffered), and cancels the
 * subscription (or pauses the ReadStream) when the generator is closed, broken out of, collected or
 * its task cancelled. A method may also return a future of a stream, such as a Vert.x HTTP
 * response body: the generator then subscribes once the future completes, and raises its failure.
 * Pause a ReadStream before handing it over (and before wrapping it in another stream, such as a
 * {@code RecordParser}, which sets a handler at once): what arrives while a Vert.x stream has a
 * handler but no consumer is lost. A ReadStream returned directly by a module without
 * {@code runningOn} is first fetched on the Python thread: return one so only if its {@code fetch}
 * is safe from another thread (a {@code RecordParser}'s is not), else as a future completed on its
 * context.
 * <pre>{@code
 * @PyFunction
 * public Future<ReadStream<Buffer>> download(String path, Cancellation cancellation) {
 *     return client.request(HttpMethod.GET, path).compose(HttpClientRequest::send).map(response -> {
 *         cancellation.onCancel(() -> context.runOnContext(v -> response.request().reset())); // Python stopped early
 *         return response.pause();
 *     });
 * }
 * // Python: async for chunk in files.download("/big.csv"): ...
 * }</pre>
 * Python calls these methods on its event loop's thread, outside Vert.x. Register Vert.x modules
 * with {@link ModuleDefinition#runningOn} and their context, so that such bodies run on it:
 * Vert.x work that sets handlers after an asynchronous step, as above, needs a context.
 *
 * <p>Python objects that arrive as {@link dev.jawait.PyObject} (a {@code PyObject} parameter, or
 * inside a converted {@code List} or {@code Map}) are borrowed for the duration of the call: jawait
 * closes them when the method returns. Keep one beyond the call with
 * {@link dev.jawait.PyObject#newReference()}. A returned {@code PyObject} is handed to Python and
 * closed too. A Python callable converted to a functional interface stays usable after the call.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PyFunction {
    /** The Python name; the method's name by default. */
    String name() default "";

    /** The docstring. */
    String doc() default "";

    /**
     * Runs the method with the GIL released, so that other Python threads run meanwhile. The method
     * must then not touch Python objects except inside {@code Python.attach}. Release it whenever
     * the method blocks: a method that waits for another thread which needs the GIL, while holding
     * it, waits forever.
     */
    boolean releaseGil() default false;

    /**
     * For async functions, the event-loop library the coroutine serves: {@code "asyncio"},
     * {@code "trio"}, or {@code "sniffio"} (detects asyncio or trio when first awaited; works under
     * anyio on both). Empty means the default: the {@code jawait.backend} system property, else
     * sniffio if its backend and Python package are present, else asyncio.
     */
    String backend() default "";

    /** For stream functions: at most this many items are requested from the stream or buffered. */
    int prefetch() default FunctionDefinition.DEFAULT_PREFETCH;
}
