package dev.jawait.bench;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * JNA's bare crossings into and out of libpython, bound here the way jawait binds CPython (direct
 * mapping with {@code long} addresses, direct callbacks) but without jawait: the floor that jawait's
 * own crossings add to. The benchmark holds the GIL (inside {@code attach}) when it calls these.
 */
final class JnaFloors {
    private JnaFloors() {}

    private static long longType;
    private static long none;

    /** A trivial libpython function: the bare downcall. */
    static native long PyType_GetFlags(long type);

    private static native long PyCFunction_NewEx(long definition, long self, long module);

    private static native long PyImport_AddModule(String name);

    private static native int PyObject_SetAttrString(long object, String name, long value);

    private static native void Py_IncRef(long object);

    private static native void Py_DecRef(long object);

    private static native long PyLong_FromVoidPtr(Callback callback);

    private static native long PyLong_AsVoidPtr(long object);

    /** {@code PyObject *(*)(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)}. */
    interface FastCall extends Callback {
        long invoke(long self, long args, long nargs, long kwnames);
    }

    /** The bare callback: a builtin's C function that returns None. */
    private static final FastCall BARE_CALLBACK = (self, args, nargs, kwnames) -> {
        Py_IncRef(none);
        return none;
    };

    static void bind(Path libpython) {
        NativeLibrary library = NativeLibrary.getInstance(libpython.toString());
        Native.register(JnaFloors.class, library);
        longType = com.sun.jna.Pointer.nativeValue(library.getGlobalVariableAddress("PyLong_Type"));
        none = com.sun.jna.Pointer.nativeValue(library.getGlobalVariableAddress("_Py_NoneStruct"));
    }

    static long longType() {
        return longType;
    }

    /** Makes {@code __main__.bare_callback}, a builtin whose C function is {@link #BARE_CALLBACK}. */
    static void installBareCallback() {
        // A direct-mapped native given a Callback receives JNA's direct trampoline; PyLong_FromVoidPtr hands it back.
        long pointer = PyLong_FromVoidPtr(BARE_CALLBACK);
        long function = PyLong_AsVoidPtr(pointer);
        Py_DecRef(pointer);
        com.sun.jna.Memory definition = new com.sun.jna.Memory(32); // PyMethodDef: name, function, flags, doc
        definition.clear();
        com.sun.jna.Memory name = new com.sun.jna.Memory(16);
        name.write(0, "bare_callback\0".getBytes(StandardCharsets.US_ASCII), 0, 14);
        definition.setPointer(0, name);
        definition.setLong(8, function);
        definition.setInt(16, 0x80 | 0x02); // METH_FASTCALL | METH_KEYWORDS, as jawait's
        KEPT[0] = definition; // CPython keeps pointing at the definition and its name
        KEPT[1] = name;
        long builtin = PyCFunction_NewEx(com.sun.jna.Pointer.nativeValue(definition), 0, 0);
        PyObject_SetAttrString(PyImport_AddModule("__main__"), "bare_callback", builtin);
        Py_DecRef(builtin);
    }

    private static final Object[] KEPT = new Object[2];
}
