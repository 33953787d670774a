package dev.jawait.async;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.internal.async.KeptArguments;
import dev.jawait.internal.async.LoopChannel;
import dev.jawait.internal.async.OwnedLoop;
import dev.jawait.internal.async.PythonTask;
import dev.jawait.internal.async.RunningLoops;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;

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
        OwnedLoop loop = OwnedLoop.start(python, flavor);
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
        return submit((Type) Object.class, function, args);
    }

    /** Like {@link #submit(PyObject, Object...)}, converting the result to {@code resultType}. */
    public <T> CompletableFuture<T> submit(Class<T> resultType, PyObject function, Object... args) {
        return submit((Type) resultType, function, args);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(Type resultType, PyObject function, Object... args) {
        return (CompletableFuture<T>) PythonTask.submit(channel, pythonModule, resultType,
                PythonTask.call(function, KeptArguments.of(args), "a coroutine"));
    }

    /**
     * Runs the function named {@code qualifiedName} ("package.module.function", imported on the
     * loop) as {@link #submit(PyObject, Object...)} does.
     */
    public CompletableFuture<Object> submit(String qualifiedName, Object... args) {
        int dot = qualifiedName.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("'" + qualifiedName + "' is not a module-qualified function name");
        }
        return PythonTask.submit(channel, pythonModule, Object.class,
                PythonTask.callByName(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1),
                        KeptArguments.of(args)));
    }

    /** Runs an awaitable (coroutine, task, future) on the loop; from any thread. */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> spawn(Class<T> resultType, PyObject awaitable) {
        return (CompletableFuture<T>) PythonTask.submit(channel, pythonModule, resultType,
                PythonTask.awaiting(awaitable, "an awaitable"));
    }

    /**
     * A publisher of the items of {@code source}, iterated on this loop as
     * {@link PythonStreams#toPublisher} describes; from any thread, without the GIL. {@code source}
     * is an async iterable, or a function returning one (an async generator function), which is
     * called on the loop with {@code arguments} when a subscriber arrives.
     */
    @SuppressWarnings("unchecked")
    public <T> java.util.concurrent.Flow.Publisher<T> publisher(Class<T> itemType, PyObject source, Object... arguments) {
        return (java.util.concurrent.Flow.Publisher<T>) new dev.jawait.internal.async.PythonPublisher(channel,
                pythonModule, source.newReference(), KeptArguments.of(arguments), itemType,
                "an async iterable on " + channel.name());
    }

    /**
     * A Vert.x ReadStream of {@code source}'s items (see {@link #publisher}), iterated on this
     * loop; from any thread, a Vert.x event loop included, without the GIL.
     */
    public <T> io.vertx.core.streams.ReadStream<T> readStream(Class<T> itemType, PyObject source, Object... arguments) {
        return dev.jawait.internal.async.VertxSupport.toReadStream(publisher(itemType, source, arguments));
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
