package dev.jawait.internal.async;

import dev.jawait.PyObject;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Runs Python awaitables as tasks of a loop and hands out Java futures of their outcome. */
public final class Spawner {
    private Spawner() {}

    private static final PyFunctionRef RUNNING_LOOP_LIBRARY =
            new PyFunctionRef("jawait._async", "running_loop_library");
    private static final Map<String, PyFunctionRef> SPAWN = new ConcurrentHashMap<>();
    private static final Map<String, PyFunctionRef> CHANNEL = new ConcurrentHashMap<>();

    /** "asyncio" or "trio": the library whose loop runs in this thread (a RuntimeError naming operation if none); GIL held. */
    public static String runningLibrary(String operation) {
        long name = dev.jawait.internal.convert.ToPython.string(operation);
        long library = 0;
        try {
            library = PyCalls.call(RUNNING_LOOP_LIBRARY.get(), name);
            return dev.jawait.internal.convert.FromPython.string(library);
        } finally {
            CPython.Py_DecRef(name);
            if (library != 0) {
                CPython.Py_DecRef(library);
            }
        }
    }

    /** The Python module of jawait's backend for {@code library} ("asyncio" or "trio"). */
    public static String backendModule(String library) {
        return "jawait._backend_" + library;
    }

    /** The channel of the loop running in this thread, served by {@code backendModule}; GIL held. */
    public static LoopChannel runningChannel(String backendModule) {
        PyFunctionRef channel = CHANNEL.computeIfAbsent(backendModule, m -> new PyFunctionRef(m, "channel"));
        long handle = PyCalls.call(channel.get());
        try {
            return (LoopChannel) JavaObjects.unwrap(handle);
        } finally {
            CPython.Py_DecRef(handle);
        }
    }

    /** Spawns {@code awaitable} on the loop running in this thread (GIL held, loop thread). */
    @SuppressWarnings("unchecked")
    public static <T> CompletableFuture<T> spawnHere(String backendModule, PyObject awaitable, Type resultType,
                                                     String description) {
        PythonTask task = new PythonTask(Converters.forType(resultType), description);
        spawn(backendModule, task, Bridge.references().address(awaitable));
        return (CompletableFuture<T>) task.future();
    }

    private static void spawn(String backendModule, PythonTask task, long awaitable) {
        PyFunctionRef spawn = SPAWN.computeIfAbsent(backendModule, m -> new PyFunctionRef(m, "spawn"));
        long completion = JavaObjects.wrap(task);
        try {
            CPython.Py_DecRef(PyCalls.call(spawn.get(), awaitable, completion));
        } finally {
            CPython.Py_DecRef(completion);
        }
    }

    /**
     * From any thread: on {@code channel}'s loop, makes {@code awaitable} and spawns it there.
     * Nothing here needs the GIL.
     */
    @SuppressWarnings("unchecked")
    public static <T> CompletableFuture<T> submit(LoopChannel channel, String backendModule, Type resultType,
                                                  String description, LoopObject awaitable) {
        PythonTask task = new PythonTask(Converters.forType(resultType), description);
        LoopChannel.Action start = new LoopChannel.Action() {
            @Override
            public void run() {
                PyObject made = null;
                try {
                    made = awaitable.create();
                    spawn(backendModule, task, Bridge.references().address(made));
                } catch (Throwable t) {
                    task.failToStart(t);
                } finally {
                    awaitable.release();
                    if (made != null) {
                        made.close();
                    }
                }
            }

            @Override
            public void refuse() {
                awaitable.release();
                task.failToStart(new IllegalStateException(description + " was refused: " + channel.name()
                        + " is closed"));
            }
        };
        if (channel.isClosed() || !channel.execute(start)) {
            start.refuse();
        }
        return (CompletableFuture<T>) task.future();
    }
}
