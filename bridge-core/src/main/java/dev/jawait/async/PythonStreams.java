package dev.jawait.async;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.KeptArguments;
import dev.jawait.internal.async.LoopObject;
import dev.jawait.internal.async.PythonPublisher;
import dev.jawait.internal.async.RunningLoops;
import dev.jawait.internal.async.VertxSupport;
import java.util.concurrent.Flow;

/**
 * Python async iterables (async generators and any object with {@code __aiter__}) as Java streams,
 * from Java code that Python called on an event loop's thread: the iteration runs on that loop,
 * asyncio or trio. From other threads, use {@link EventLoop#publisher} and {@link EventLoop#readStream}.
 *
 * <p>{@code __anext__} is called only as the subscriber requests items; items the iterator
 * produces without suspending are handed over together. Cancelling the subscription closes the
 * iterator ({@code aclose()}); a Python exception reaches {@code onError} as a
 * {@link dev.jawait.PythonException}; the end of the iteration is {@code onComplete}.
 *
 * <pre>{@code
 * @PyFunction
 * public void stream(Py py, PyObject rows) {              // Python: module.stream(fetch_rows())
 *     Flow.Publisher<String> publisher = PythonStreams.toPublisher(py, rows, String.class);
 *     publisher.subscribe(mySubscriber);
 * }
 * }</pre>
 */
public final class PythonStreams {
    private PythonStreams() {}

    /** A publisher of {@code asyncIterable}'s items, converted to {@code itemType}. One subscriber. */
    @SuppressWarnings("unchecked")
    public static <T> Flow.Publisher<T> toPublisher(Py py, PyObject asyncIterable, Class<T> itemType) {
        py.python(); // checks the token
        String module = RunningLoops.backendModule(RunningLoops.runningLibrary("PythonStreams.toPublisher()"));
        return (Flow.Publisher<T>) new PythonPublisher(
                RunningLoops.runningChannel(module),
                module,
                LoopObject.kept(Bridge.values().claim(asyncIterable).share()),
                KeptArguments.of(),
                itemType,
                "async iterable " + asyncIterable.repr());
    }

    /**
     * A Vert.x ReadStream of {@code asyncIterable}'s items (for {@code pipeTo}, say). Called on a
     * Vert.x context, its handlers run on that context. Needs Vert.x on the class path.
     */
    public static <T> io.vertx.core.streams.ReadStream<T> toReadStream(
            Py py, PyObject asyncIterable, Class<T> itemType) {
        return VertxSupport.toReadStream(toPublisher(py, asyncIterable, itemType));
    }
}
