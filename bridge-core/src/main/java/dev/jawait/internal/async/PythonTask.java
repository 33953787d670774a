package dev.jawait.internal.async;

import dev.jawait.internal.convert.ConversionFailure;
import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.PyStrings;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A Java future of Python work running as a task of an event loop, and the loop action that
 * starts it. Submitted from any thread without the GIL ({@link #submit}), or started on the loop's
 * own thread ({@link #spawnHere}). Python reports the outcome ({@link #settle}); completing or
 * cancelling the future from Java (cancel, orTimeout, complete) cancels the Python task.
 *
 * <p>A submission is this one object (and its {@link LoopObject}) until the loop starts it, so that a
 * flood of submissions from a thread that never waits costs the heap, and the collector, little.
 */
public final class PythonTask extends CompletableFuture<Object>
        implements LoopChannel.Action, BiConsumer<Object, Throwable> {
    static final int VALUE = 0, ERROR = 1, CANCELLED = 2;
    private static final Map<String, PyFunctionRef> SPAWN = new ConcurrentHashMap<>();

    private final LoopChannel channel;
    private final String backendModule;
    private final Converters.Converter converter;
    /** Makes the awaitable, on the loop. */
    private final LoopObject awaitable;
    /** What it runs, for messages: "a coroutine", "app.jobs.refresh()". */
    private final String what;
    /** An owned reference to what cancels the Python task (its asyncio task, its trio cancel scope); guarded by the GIL. */
    private long canceller;
    /** The outcome came from Python (or the work failed to start): completing the future cancels nothing. */
    private volatile boolean settled;

    private PythonTask(LoopChannel channel, String backendModule, Type resultType, LoopObject awaitable, String what) {
        this.channel = channel;
        this.backendModule = backendModule;
        this.converter = Converters.forType(resultType);
        this.awaitable = awaitable;
        this.what = what;
    }

    /**
     * From any thread, with no GIL: runs what {@code awaitable} makes as a task of {@code channel}'s
     * loop; {@code what} names it in messages.
     */
    public static PythonTask submit(
            LoopChannel channel, String backendModule, Type resultType, LoopObject awaitable, String what) {
        PythonTask task = new PythonTask(channel, backendModule, resultType, awaitable, what);
        if (channel.isClosed() || !channel.submit(task)) {
            task.refuse();
        }
        return task;
    }

    /**
     * On a loop's thread, GIL held: runs {@code awaitable} as a task of the loop running here; releases
     * it if there is none.
     */
    public static PythonTask spawnHere(
            String backendModule, LoopObject awaitable, Type resultType, String description) {
        LoopChannel channel;
        try {
            channel = RunningLoops.runningChannel(backendModule);
        } catch (RuntimeException | Error e) {
            awaitable.release();
            throw e;
        }
        PythonTask task = new PythonTask(channel, backendModule, resultType, awaitable, description);
        task.run();
        return task;
    }

    /** Starts the work on the loop. Loop thread, GIL held. */
    @Override
    public void run() {
        long made = 0;
        try {
            if (isDone()) {
                return; // completed or cancelled from Java before it started: it never runs
            }
            made = awaitable.create();
            long completion = JavaObjects.wrap(this);
            try {
                PyFunctionRef spawn = SPAWN.computeIfAbsent(backendModule, m -> new PyFunctionRef(m, "spawn"));
                canceller = PyCalls.call(spawn.get(), made, completion);
            } finally {
                CPython.Py_DecRef(completion);
            }
            whenComplete(this); // from now on, completing it from Java cancels the Python task
        } catch (Throwable t) {
            settled = true;
            deliver(null, t);
        } finally {
            awaitable.release();
            if (made != 0) {
                CPython.Py_DecRef(made);
            }
        }
    }

    /** The loop ended before the work could start. Any thread, maybe without the GIL. */
    @Override
    public void refuse() {
        awaitable.release();
        settled = true;
        completeExceptionally(new IllegalStateException(description() + " was refused: the loop is closed"));
    }

    /** This future completed: if not by Python, the Python task is no longer awaited, so it is cancelled. */
    @Override
    public void accept(Object value, Throwable failure) {
        if (!settled) {
            channel.execute(() -> {
                long cancel = canceller; // on the loop: 0 if Python settled meanwhile
                if (cancel != 0) {
                    long method = ToPython.checked(CPython.PyObject_GetAttr(cancel, PyStrings.intern("cancel")));
                    try {
                        CPython.Py_DecRef(PyCalls.call(method));
                    } finally {
                        CPython.Py_DecRef(method);
                    }
                }
            });
        }
    }

    /** The Python outcome: kind VALUE, ERROR or CANCELLED, and the value or exception (borrowed). Loop thread, GIL held. */
    void settle(int kind, long value) {
        Object result = null;
        Throwable failure = null;
        if (kind == VALUE) {
            try {
                result = converter.convert(value);
            } catch (ConversionFailure f) {
                failure = f.kind() == ConversionFailure.Kind.VALUE
                        ? new IllegalArgumentException(description() + " returned " + f.getMessage())
                        : new ClassCastException(description() + " returned a Python " + f.received()
                                + ", which does not convert to the requested Java type (expected " + f.expected()
                                + ")");
            } catch (RuntimeException e) {
                failure = e;
            }
        } else if (kind == ERROR) {
            failure = PythonErrors.fromException(value);
        } else {
            failure = new CancellationException(description() + " was cancelled in Python"
                    + (channel.isClosed() ? " because its event loop closed" : ""));
        }
        long cancel = canceller;
        canceller = 0;
        if (cancel != 0) {
            CPython.Py_DecRef(cancel);
        }
        settled = true;
        deliver(result, failure);
    }

    /** Completes this future; its dependent stages run inside, so without the GIL. */
    private void deliver(Object result, Throwable failure) {
        ThreadAttachment.current().withoutGil(() -> {
            if (failure == null) {
                complete(result);
            } else {
                completeExceptionally(failure);
            }
        });
    }

    /** For messages: "a coroutine on event loop asyncio". */
    private String description() {
        return what + " on event loop " + channel.name();
    }
}
