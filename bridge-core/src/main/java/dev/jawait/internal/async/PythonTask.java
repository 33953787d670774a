package dev.jawait.internal.async;

import dev.jawait.PyObject;
import dev.jawait.internal.Bridge;
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
 * <p>A submission is this one object (and its {@link Work}) until the loop starts it, so that a
 * flood of submissions from a thread that never waits costs the heap, and the collector, little.
 */
public final class PythonTask extends CompletableFuture<Object>
        implements LoopChannel.Action, BiConsumer<Object, Throwable> {
    static final int VALUE = 0, ERROR = 1, CANCELLED = 2;
    private static final Map<String, PyFunctionRef> SPAWN = new ConcurrentHashMap<>();

    /** What a task runs. */
    public interface Work {
        /** A new reference to the awaitable to run. Loop thread, GIL held. */
        long awaitable();

        /** Lets go of what the work holds; called once, on any thread. */
        void release();

        /** What it runs, for messages: "a coroutine", "app.jobs.refresh()". */
        String describe();
    }

    private final LoopChannel channel;
    private final String backendModule;
    private final Converters.Converter converter;
    private final Work work;
    /** An owned reference to what cancels the Python task (its asyncio task, its trio cancel scope); guarded by the GIL. */
    private long canceller;
    /** The outcome came from Python (or the work failed to start): completing the future cancels nothing. */
    private volatile boolean settled;

    private PythonTask(LoopChannel channel, String backendModule, Type resultType, Work work) {
        this.channel = channel;
        this.backendModule = backendModule;
        this.converter = Converters.forType(resultType);
        this.work = work;
    }

    /** From any thread, with no GIL: runs {@code work} as a task of {@code channel}'s loop. */
    public static PythonTask submit(LoopChannel channel, String backendModule, Type resultType, Work work) {
        PythonTask task = new PythonTask(channel, backendModule, resultType, work);
        if (channel.isClosed() || !channel.submit(task)) {
            task.refuse();
        }
        return task;
    }

    /** On a loop's thread, GIL held: runs {@code awaitable} as a task of the loop running here. */
    public static PythonTask spawnHere(String backendModule, PyObject awaitable, Type resultType, String description) {
        PythonTask task = new PythonTask(RunningLoops.runningChannel(backendModule), backendModule, resultType,
                awaiting(awaitable, description));
        task.run();
        return task;
    }

    /** Starts the work on the loop. Loop thread, GIL held. */
    @Override
    public void run() {
        long awaitable = 0;
        try {
            if (isDone()) {
                return; // completed or cancelled from Java before it started: it never runs
            }
            awaitable = work.awaitable();
            long completion = JavaObjects.wrap(this);
            try {
                PyFunctionRef spawn = SPAWN.computeIfAbsent(backendModule, m -> new PyFunctionRef(m, "spawn"));
                canceller = PyCalls.call(spawn.get(), awaitable, completion);
            } finally {
                CPython.Py_DecRef(completion);
            }
            whenComplete(this); // from now on, completing it from Java cancels the Python task
        } catch (Throwable t) {
            settled = true;
            deliver(null, t);
        } finally {
            work.release();
            if (awaitable != 0) {
                CPython.Py_DecRef(awaitable);
            }
        }
    }

    /** The loop ended before the work could start. Any thread, maybe without the GIL. */
    @Override
    public void refuse() {
        work.release();
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
                                + ", which does not convert to the requested Java type (expected " + f.expected() + ")");
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

    /** For messages: "a coroutine on asyncio loop 0x7f...". */
    private String description() {
        return work.describe() + " on " + channel.name();
    }

    // ---- work ---------------------------------------------------------------------------------------

    /** {@code function(*arguments)}, both kept until the work starts. */
    public static Work call(PyObject function, KeptArguments arguments, String description) {
        Object target = Bridge.references().retain(function);
        return new Work() {
            @Override
            public long awaitable() {
                return arguments.call(Bridge.references().address(target));
            }

            @Override
            public void release() {
                Bridge.references().release(target);
                arguments.close();
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** {@code module.function(*arguments)}, imported on the loop; the arguments are kept until the work starts. */
    public static Work callByName(String module, String function, KeptArguments arguments) {
        return new Work() {
            @Override
            public long awaitable() {
                long imported = ToPython.checked(CPython.PyImport_ImportModule(module));
                long name = 0;
                long callable = 0;
                try {
                    name = ToPython.string(function);
                    callable = ToPython.checked(CPython.PyObject_GetAttr(imported, name));
                    return arguments.call(callable);
                } finally {
                    CPython.Py_DecRef(imported);
                    for (long o : new long[] {name, callable}) {
                        if (o != 0) {
                            CPython.Py_DecRef(o);
                        }
                    }
                }
            }

            @Override
            public void release() {
                arguments.close();
            }

            @Override
            public String describe() {
                return module + "." + function + "()";
            }
        };
    }

    /** An awaitable, kept until the work starts. */
    public static Work awaiting(PyObject awaitable, String description) {
        Object target = Bridge.references().retain(awaitable);
        return new Work() {
            @Override
            public long awaitable() {
                long address = Bridge.references().address(target);
                CPython.Py_IncRef(address);
                return address;
            }

            @Override
            public void release() {
                Bridge.references().release(target);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
