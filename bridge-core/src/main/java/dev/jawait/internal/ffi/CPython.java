package dev.jawait.internal.ffi;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.Map;

/**
 * The CPython C API, bound with JNA direct mapping (static natives, every pointer a {@code long}).
 *
 * <p>Internal: nothing outside bridge-core sees an address. Every function here is exported by
 * libpython 3.9 to 3.13 alike; the few that differ between versions are in {@link VersionSpecific}.
 * Functions returning a new reference are marked "new"; "borrowed" ones must not be decref'd; "steals"
 * means the callee takes over the reference passed in.
 */
public final class CPython {
    private CPython() {}

    // RTLD_NOW | RTLD_GLOBAL: extension modules (_asyncio, _ssl, ...) resolve libpython symbols globally.
    private static final int RTLD_NOW_GLOBAL = 0x2 | 0x100;

    /** Loads libpython and binds every native method of this class, of {@link VersionSpecific} and of {@link CommandLineStart}. */
    public static NativeLibrary bind(String libraryPath, int minorVersion, boolean debugBuild, boolean freeThreaded) {
        Map<String, Object> options =
                Map.of(Library.OPTION_OPEN_FLAGS, RTLD_NOW_GLOBAL, Library.OPTION_STRING_ENCODING, "UTF-8");
        NativeLibrary lib = NativeLibrary.getInstance(libraryPath, options);
        Memory.useObjectLayout(freeThreaded);
        Native.register(CPython.class, lib);
        Symbols.read(lib);
        VersionSpecific.bind(lib, minorVersion, debugBuild, freeThreaded);
        CommandLineStart.bind(lib);
        return lib;
    }

    // ---- start-up and shutdown -------------------------------------------------------------------
    public static native long Py_DecodeLocale(String arg, long sizeOut);

    public static native void Py_InitializeEx(int initsigs);

    public static native int Py_IsInitialized();

    public static native int Py_FinalizeEx();
    /**
     * Runs the program of the command line that Python was started with (see {@link CommandLineStart}),
     * as the python command does, then finalizes Python; returns the exit status.
     */
    public static native int Py_RunMain();

    // ---- threads and the GIL ---------------------------------------------------------------------
    public static native int PyGILState_Ensure();

    public static native long PyThreadState_Get();

    public static native long PyGILState_GetThisThreadState();

    public static native long PyEval_SaveThread();

    public static native void PyEval_RestoreThread(long tstate);

    public static native void PyThreadState_Clear(long tstate);

    public static native void PyThreadState_Delete(long tstate);
    /** Deletes the current thread state, which must have been cleared, and releases the GIL. */
    public static native void PyThreadState_DeleteCurrent();
    /** A new thread state, not current; also this OS thread's PyGILState state if it has none. */
    public static native long PyThreadState_New(long interp);
    /** The current thread's interpreter; needs a current thread state. */
    public static native long PyInterpreterState_Get();

    public static native long PyThreadState_GetInterpreter(long tstate);
    /** Ends the sub-interpreter whose thread state {@code tstate} is current (and its last). */
    public static native void Py_EndInterpreter(long tstate);

    // ---- reference counts ------------------------------------------------------------------------
    /** {@code Py_XINCREF(o)}, done in Java as the C macro does it (no crossing); see {@link VersionSpecific#incref}. */
    public static void Py_IncRef(long o) {
        if (o != 0) {
            VersionSpecific.incref(o);
        }
    }

    /** {@code Py_XDECREF(o)}, done in Java unless the object must be freed; see {@link VersionSpecific#decref}. */
    public static void Py_DecRef(long o) {
        if (o != 0) {
            VersionSpecific.decref(o);
        }
    }

    // ---- objects ---------------------------------------------------------------------------------
    /** new */
    public static native long PyObject_GetAttr(long o, long name);

    public static native int PyObject_SetAttr(long o, long name, long value);

    public static native int PyObject_HasAttr(long o, long name);
    /** new */
    public static native long PyObject_GetItem(long o, long key);

    public static native int PyObject_SetItem(long o, long key, long value);

    public static native long PyObject_Size(long o);
    /** new */
    public static native long PyObject_Str(long o);
    /** new */
    public static native long PyObject_Repr(long o);

    public static native int PyObject_IsTrue(long o);

    public static native int PyCallable_Check(long o);

    public static native int PyObject_IsInstance(long o, long cls);

    public static native int PyObject_RichCompareBool(long a, long b, int op);

    public static native long PyObject_Hash(long o);
    /** new */
    public static native long PyObject_GetIter(long o);
    /** new, or 0 at the end (check PyErr_Occurred) */
    public static native long PyIter_Next(long iterator);

    public static native void PyObject_Free(long memory);

    // ---- calls -----------------------------------------------------------------------------------
    /** new */
    public static native long PyObject_CallNoArgs(long callable);
    /** new; args is a C array of nargs borrowed references */
    public static native long PyObject_VectorcallDict(long callable, long args, long nargsf, long kwargs);
    /** new */
    public static native long PyObject_Call(long callable, long argsTuple, long kwargsDict);

    // ---- modules and code ------------------------------------------------------------------------
    /** new */
    public static native long PyImport_ImportModule(String name);
    /** borrowed */
    public static native long PyImport_AddModule(String name);
    /** new */
    public static native long PyModule_New(String name);
    /** new */
    public static native long Py_CompileString(String source, String filename, int start);
    /** new */
    public static native long PyEval_EvalCode(long code, long globals, long locals);
    /** borrowed */
    public static native long PyEval_GetBuiltins();
    /** new */
    public static native long PyCFunction_NewEx(long methodDef, long self, long moduleName);
    /** new */
    public static native long PyType_FromSpec(long spec);

    public static native long PyType_GetFlags(long type);
    /** new */
    public static native long PyType_GenericAlloc(long type, long nitems);

    // ---- numbers ---------------------------------------------------------------------------------
    /** new */
    public static native long PyLong_FromLongLong(long v);

    public static native long PyLong_AsLongLong(long o);

    public static native long PyLong_AsLongLongAndOverflow(long o, long overflowOut);
    /** new */
    public static native long PyLong_FromVoidPtr(Callback callback);

    public static native long PyLong_AsVoidPtr(long o);
    /** new */
    public static native long PyFloat_FromDouble(double v);

    public static native double PyFloat_AsDouble(long o);
    /** new */
    public static native long PyNumber_Index(long o);

    // ---- text and bytes --------------------------------------------------------------------------
    /** borrowed buffer, owned by the str object */
    public static native long PyUnicode_AsUTF8AndSize(long o, long sizeOut);
    /** new */
    public static native long PyUnicode_DecodeUTF16(long data, long size, String errors, long byteorder);
    /** new */
    public static native long PyUnicode_FromStringAndSize(long utf8, long size);
    /** new */
    public static native long PyUnicode_InternFromString(String s);
    /** new */
    public static native long PyBytes_FromStringAndSize(long data, long size);

    public static native int PyBytes_AsStringAndSize(long o, long bufferOut, long sizeOut);

    public static native long PyByteArray_AsString(long o);

    public static native long PyByteArray_Size(long o);

    // ---- containers ------------------------------------------------------------------------------
    /** new */
    public static native long PyList_New(long size);
    /** steals item */
    public static native int PyList_SetItem(long list, long index, long item);
    /** borrowed */
    public static native long PyList_GetItem(long list, long index);

    public static native long PyList_Size(long list);
    /** new: a tuple of the list's items (a list subclass's too, without calling its methods) */
    public static native long PyList_AsTuple(long list);
    /** new */
    public static native long PyTuple_New(long size);
    /** steals item */
    public static native int PyTuple_SetItem(long tuple, long index, long item);
    /** borrowed */
    public static native long PyTuple_GetItem(long tuple, long index);

    public static native long PyTuple_Size(long tuple);
    /** new */
    public static native long PyDict_New();
    /** new: a plain dict with the same items */
    public static native long PyDict_Copy(long o);

    public static native int PyDict_SetItem(long dict, long key, long value);

    public static native int PyDict_SetItemString(long dict, String key, long value);
    /** borrowed */
    public static native long PyDict_GetItemWithError(long dict, long key);

    public static native int PyDict_Next(long dict, long posInOut, long keyOut, long valueOut);

    public static native long PyDict_Size(long dict);
    /** new */
    public static native long PySet_New(long iterable);
    /** new */
    public static native long PyFrozenSet_New(long iterable);

    public static native int PySet_Add(long set, long key);

    // ---- errors ----------------------------------------------------------------------------------
    /** borrowed */
    public static native long PyErr_Occurred();

    public static native void PyErr_Fetch(long typeOut, long valueOut, long tracebackOut);

    public static native void PyErr_NormalizeException(long typeInOut, long valueInOut, long tracebackInOut);
    /** steals all three */
    public static native void PyErr_Restore(long type, long value, long traceback);

    public static native void PyErr_SetString(long type, String message);

    public static native void PyErr_SetObject(long type, long value);

    public static native void PyErr_Clear();

    public static native void PyErr_WriteUnraisable(long context);

    public static native int PyException_SetTraceback(long exception, long traceback);

    // ---- recursion -------------------------------------------------------------------------------
    /** The interpreter's recursion limit ({@code sys.getrecursionlimit()}). */
    public static native int Py_GetRecursionLimit();
    /** Counts one level of C recursion on this thread: 0, or -1 with RecursionError set. */
    public static native int Py_EnterRecursiveCall(long where);

    public static native void Py_LeaveRecursiveCall();
}
