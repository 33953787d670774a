package dev.jawait.async;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.LoopObject;
import dev.jawait.internal.async.PythonTask;
import dev.jawait.internal.async.RunningLoops;
import dev.jawait.internal.async.VertxSupport;
import java.util.concurrent.CompletableFuture;

/**
 * Python awaitables as Java futures, from Java code that Python called on an event loop's thread:
 * the awaitable (a coroutine, task, future or any awaitable) runs as a task of that loop, asyncio
 * or trio. Cancelling the Java future cancels the task. From other threads, use
 * {@link EventLoop#spawn}.
 *
 * <pre>{@code
 * @PyFunction
 * public CompletableFuture<Integer> sizeOf(Py py, PyObject coroutine) {
 *     return PythonFutures.toCompletableFuture(py, coroutine, String.class).thenApply(String::length);
 * }
 * }</pre>
 */
public final class PythonFutures {
    private PythonFutures() {}

    /** A Java future of {@code awaitable}'s result, converted to {@code resultType}. */
    public static <T> CompletableFuture<T> toCompletableFuture(Py py, PyObject awaitable, Class<T> resultType) {
        py.python(); // checks the token
        String library = RunningLoops.runningLibrary("PythonFutures.toCompletableFuture()");
        String module = RunningLoops.backendModule(library);
        String description = "awaitable " + awaitable.repr();
        @SuppressWarnings("unchecked") // the share is taken last: spawnHere releases it if it fails
        CompletableFuture<T> task = (CompletableFuture<T>) PythonTask.spawnHere(
                module, LoopObject.kept(Bridge.values().claim(awaitable).share()), resultType, description);
        return task;
    }

    /** A Java future of {@code awaitable}'s result in its natural Java form. */
    public static CompletableFuture<Object> toCompletableFuture(Py py, PyObject awaitable) {
        return toCompletableFuture(py, awaitable, Object.class);
    }

    /**
     * A Vert.x future of {@code awaitable}'s result. Called on a Vert.x context, its listeners run
     * on that context. Needs Vert.x on the class path.
     */
    public static <T> io.vertx.core.Future<T> toVertxFuture(Py py, PyObject awaitable, Class<T> resultType) {
        return VertxSupport.toVertx(toCompletableFuture(py, awaitable, resultType));
    }
}
