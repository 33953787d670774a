package dev.jawait.internal.async;

import dev.jawait.internal.convert.FromPython;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Finds the event loop running in this thread and jawait's backend for it. */
public final class RunningLoops {
    private RunningLoops() {}

    private static final PyFunctionRef RUNNING_LOOP_LIBRARY =
            new PyFunctionRef("jawait._async", "running_loop_library");
    private static final Map<String, PyFunctionRef> CHANNEL = new ConcurrentHashMap<>();

    /** "asyncio" or "trio": the library whose loop runs in this thread (a RuntimeError naming operation if none); GIL held. */
    public static String runningLibrary(String operation) {
        long name = ToPython.string(operation);
        long library = 0;
        try {
            library = PyCalls.call(RUNNING_LOOP_LIBRARY.get(), name);
            return FromPython.string(library);
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
}
