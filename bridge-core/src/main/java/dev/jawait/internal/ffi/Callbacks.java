package dev.jawait.internal.ffi;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;

/**
 * C function pointers backed by Java, in the shapes CPython calls. All arguments are primitive, so
 * JNA dispatches them directly (no reflection proxy; ~350 ns per call from Python).
 *
 * <p>Implementations must never throw: every one catches {@link Throwable} and reports it to Python.
 */
public final class Callbacks {
    private Callbacks() {}

    /**
     * Threads created by Python that call into Java are attached to the JVM once, as daemons, and
     * stay attached until they end (attaching per call costs ~28 us).
     */
    private static final CallbackThreadInitializer PYTHON_THREADS =
            new CallbackThreadInitializer(true, false, "jawait-python-thread");

    /** {@code PyObject *(*)(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)}. */
    public interface FastCall extends Callback {
        long invoke(long self, long args, long nargs, long kwnames);
    }

    /** {@code void (*)(PyObject *)}: tp_dealloc. */
    public interface Destructor extends Callback {
        void invoke(long self);
    }

    /** {@code PyObject *(*)(PyObject *)}: tp_repr. */
    public interface UnaryFunction extends Callback {
        long invoke(long self);
    }

    /** {@code Py_hash_t (*)(PyObject *)}: tp_hash. */
    public interface HashFunction extends Callback {
        long invoke(long self);
    }

    /** {@code PyObject *(*)(PyObject *, PyObject *, int)}: tp_richcompare. */
    public interface RichCompare extends Callback {
        long invoke(long self, long other, int op);
    }

    /** {@code PyObject *(*)(PyTypeObject *, PyObject *, PyObject *)}: tp_new. */
    public interface NewFunction extends Callback {
        long invoke(long type, long args, long kwargs);
    }

    /**
     * The C address of {@code callback}. The caller must keep {@code callback} reachable for as long
     * as Python may call it: JNA frees the native trampoline when the object is collected.
     */
    public static long functionPointer(Callback callback) {
        Native.setCallbackThreadInitializer(callback, PYTHON_THREADS);
        // A direct-mapped native given a Callback receives JNA's direct trampoline; PyLong_FromVoidPtr
        // hands its address back. Needs the GIL.
        long pyLong = CPython.PyLong_FromVoidPtr(callback);
        long address = CPython.PyLong_AsVoidPtr(pyLong);
        CPython.Py_DecRef(pyLong);
        return address;
    }
}
