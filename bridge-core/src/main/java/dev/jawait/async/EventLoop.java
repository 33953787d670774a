package dev.jawait.async;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.KeptArguments;
import dev.jawait.internal.async.LoopChannel;
import dev.jawait.internal.async.LoopObject;
import dev.jawait.internal.async.OwnedLoop;
import dev.jawait.internal.async.PythonPublisher;
import dev.jawait.internal.async.PythonTask;
import dev.jawait.internal.async.RunningLoops;
import dev.jawait.internal.async.VertxSupport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A Python event loop that Java can hand work to from any thread, without taking the GIL.
 *
 * <p>Either one that jawait runs on a thread of its own:
 * <pre>{@code
 * try (EventLoop loop = EventLoop.start(python, "asyncio")) {       // or "uvloop", "trio"
 *     PyObject fetch = python.attach(py -> py.importModule("app").getAttr("fetch"));
 *     CompletableFuture<String> body = loop.submit(String.class, fetch, "https://example.com");
 * }
 * }</pre>
 * or the loop running the Python code that called into Java ({@link #current}), kept by Java code
 * to submit more work to it later.
 *
 * <p>{@code submit} calls a coroutine function (or any callable returning an awaitable) on the
 * loop and runs the result as a task; the returned future completes with the converted result, or
 * fails with the Python exception as {@link dev.jawait.PythonException}. Cancelling that future (or
 * completing it from Java) cancels the Python task. Closing a loop that jawait started cancels
 * what is still running: those futures fail with {@link java.util.concurrent.CancellationException}.
 *
 * <p>Vert.x code gets the same as Vert.x types, completed on the calling context:
 * {@link #future(Class, String, Object...) future} (a Vert.x {@code Future}) and
 * {@link #readStream(Class, String, Object...) readStream} (a {@code ReadStream}); others get a
 * {@code CompletableFuture} and a {@link Flow.Publisher}.
 */
public final class EventLoop implements AutoCloseable {
    private final LoopChannel channel;
    private final String pythonModule;
    private final String flavor;
    private final OwnedLoop owned;

    private EventLoop(LoopChannel channel, String pythonModule, String flavor, OwnedLoop owned) {
        this.channel = channel;
        this.pythonModule = pythonModule;
        this.flavor = flavor;
        this.owned = owned;
    }

    /**
     * Starts an event loop on a new daemon thread and waits until it runs: {@code "asyncio"},
     * {@code "uvloop"} (needs the uvloop package) or {@code "trio"}, as the backends on the class
     * path offer. Python's close() closes it too.
     */
    public static EventLoop start(Python python, String flavor) {
        return start(python, flavor, flavor);
    }

    /**
     * Starts an event loop as {@link #start(Python, String)} does, named {@code name}: the value of
     * the {@code loop} tag of its metrics ({@code jawait.loop.futures.pending}) and how messages
     * refer to it. Loops of one name are measured together, so a name such as a service's keeps the
     * tag's values few (a Python verticle's loops are named after its module); the default is the
     * flavor.
     */
    public static EventLoop start(Python python, String flavor, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("EventLoop.start(python, " + flavor + ", name): the name is blank; give "
                    + "a stable one, such as the service's (it is a metric tag's value)");
        }
        OwnedLoop loop = OwnedLoop.start(Bridge.pythons().interpreter(python), flavor, name);
        return new EventLoop(loop.channel(), loop.pythonModule(), flavor, loop);
    }

    /**
     * The asyncio or trio loop running the Python code that called into Java on this thread (so
     * from a Java function called by a coroutine).
     *
     * @throws dev.jawait.PythonException a RuntimeError when no asyncio or trio loop runs here
     */
    public static EventLoop current(Py py) {
        py.python(); // checks the token
        String library = RunningLoops.runningLibrary("EventLoop.current()");
        String module = RunningLoops.backendModule(library);
        return new EventLoop(RunningLoops.runningChannel(module), module, library, null);
    }

    /** "asyncio", "uvloop" or "trio". */
    public String flavor() {
        return flavor;
    }

    /** Whether jawait started this loop (and close() stops it). */
    public boolean isOwned() {
        return owned != null;
    }

    /** Whether the loop ended, or closing it has begun; work submitted then is refused. */
    public boolean isClosed() {
        return channel.isClosed();
    }

    /** Runs {@code function(*args)} on the loop as a task; the result converts by its natural Java form. */
    public CompletableFuture<Object> submit(PyObject function, Object... args) {
        return submit(Object.class, function, args);
    }

    /** Like {@link #submit(PyObject, Object...)}, converting the result to {@code resultType}. */
    public <T> CompletableFuture<T> submit(Class<T> resultType, PyObject function, Object... args) {
        KeptArguments kept = KeptArguments.of(args);
        return start(resultType, LoopObject.call(Bridge.values().claim(function).share(), kept), "a coroutine");
    }

    /**
     * Runs the function named {@code qualifiedName} ("package.module.function", imported on the
     * loop) as {@link #submit(PyObject, Object...)} does.
     *
     * @throws IllegalArgumentException if {@code qualifiedName} has no module part
     */
    public CompletableFuture<Object> submit(String qualifiedName, Object... args) {
        return submit(Object.class, qualifiedName, args);
    }

    /**
     * Like {@link #submit(String, Object...)}, converting the result to {@code resultType}:
     * {@code loop.submit(Long.class, "app.stock.count", "tea")}.
     *
     * @throws IllegalArgumentException if {@code qualifiedName} has no module part
     */
    public <T> CompletableFuture<T> submit(Class<T> resultType, String qualifiedName, Object... args) {
        return start(
                resultType,
                LoopObject.called(LoopObject.named(qualifiedName), KeptArguments.of(args)),
                qualifiedName + "()");
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> start(Class<T> resultType, LoopObject awaitable, String what) {
        return (CompletableFuture<T>) PythonTask.submit(channel, pythonModule, resultType, awaitable, what);
    }

    /**
     * For Vert.x code: runs {@code function(*args)} on the loop like {@link #submit(Class, PyObject,
     * Object...)}, as a Vert.x {@code Future}. Called on a Vert.x context (a verticle, a handler),
     * the future completes on that context, so its listeners run there as they do for Vert.x's own
     * futures; elsewhere they run on the thread that delivers the result (this loop's, holding the
     * GIL: keep them short). Needs Vert.x on the class path; takes no GIL, so an event-loop thread
     * may call it.
     *
     * <p>A Vert.x future cannot be cancelled: to cancel the Python task, use {@code submit} and
     * {@code Future.fromCompletionStage}.
     */
    public <T> io.vertx.core.Future<T> future(Class<T> resultType, PyObject function, Object... args) {
        return VertxSupport.toVertx(submit(resultType, function, args));
    }

    /**
     * For Vert.x code: runs the function named {@code qualifiedName} as {@link #future(Class,
     * PyObject, Object...)} does. In a request handler:
     * <pre>{@code
     * loop.future(String.class, "pricing.quote", item, quantity)
     *         .onSuccess(quote -> request.response().end(quote))     // on the handler's context
     *         .onFailure(error -> request.response().setStatusCode(502).end(error.getMessage()));
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code qualifiedName} has no module part
     */
    public <T> io.vertx.core.Future<T> future(Class<T> resultType, String qualifiedName, Object... args) {
        return VertxSupport.toVertx(submit(resultType, qualifiedName, args));
    }

    /** Runs an awaitable (coroutine, task, future) on the loop; from any thread. */
    public <T> CompletableFuture<T> spawn(Class<T> resultType, PyObject awaitable) {
        return start(
                resultType, LoopObject.kept(Bridge.values().claim(awaitable).share()), "an awaitable");
    }

    /**
     * A publisher of the items of {@code source}, iterated on this loop as
     * {@link PythonStreams#toPublisher} describes; from any thread, without the GIL. {@code source}
     * is an async iterable, or a function returning one (an async generator function), which is
     * called on the loop with {@code arguments} when a subscriber arrives.
     */
    public <T> Flow.Publisher<T> publisher(Class<T> itemType, PyObject source, Object... arguments) {
        return publisher(
                itemType,
                LoopObject.kept(Bridge.values().claim(source).share()),
                arguments,
                "an async iterable on event loop " + channel.name());
    }

    /**
     * Like {@link #publisher(Class, PyObject, Object...)}, for the async generator function (or
     * async iterable) named {@code qualifiedName}, imported on the loop when a subscriber arrives.
     *
     * @throws IllegalArgumentException if {@code qualifiedName} has no module part
     */
    public <T> Flow.Publisher<T> publisher(Class<T> itemType, String qualifiedName, Object... arguments) {
        return publisher(
                itemType,
                LoopObject.named(qualifiedName),
                arguments,
                qualifiedName + " on event loop " + channel.name());
    }

    @SuppressWarnings("unchecked")
    private <T> Flow.Publisher<T> publisher(
            Class<T> itemType, LoopObject source, Object[] arguments, String description) {
        return (Flow.Publisher<T>)
                new PythonPublisher(channel, pythonModule, source, KeptArguments.of(arguments), itemType, description);
    }

    /**
     * A Vert.x ReadStream of {@code source}'s items (see {@link #publisher(Class, PyObject, Object...)}),
     * iterated on this loop; from any thread, a Vert.x event loop included, without the GIL. Made on
     * a Vert.x context, its handlers run on that context.
     */
    public <T> io.vertx.core.streams.ReadStream<T> readStream(Class<T> itemType, PyObject source, Object... arguments) {
        return VertxSupport.toReadStream(publisher(itemType, source, arguments));
    }

    /**
     * Like {@link #readStream(Class, PyObject, Object...)}, for the async generator function (or
     * async iterable) named {@code qualifiedName}: a chunked HTTP response from Python, say.
     * <pre>{@code
     * request.response().setChunked(true);
     * loop.readStream(Buffer.class, "reports.csv_lines", month).pipeTo(request.response());
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code qualifiedName} has no module part
     */
    public <T> io.vertx.core.streams.ReadStream<T> readStream(
            Class<T> itemType, String qualifiedName, Object... arguments) {
        return VertxSupport.toReadStream(publisher(itemType, qualifiedName, arguments));
    }

    /**
     * For a loop that jawait started: stops it, cancelling what still runs, and waits for its
     * thread (up to 30 s). Does nothing for a loop jawait did not start.
     */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + flavor + ", " + channel.name() + (owned != null ? ", owned" : "") + "]";
    }
}
