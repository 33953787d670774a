package dev.jawait.internal.ffi;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** Addresses of libpython's data symbols: singletons, built-in types and exception classes. */
public final class Symbols {
    private Symbols() {}

    public static long NONE, TRUE, FALSE, NOT_IMPLEMENTED;
    public static long LONG_TYPE,
            BOOL_TYPE,
            FLOAT_TYPE,
            UNICODE_TYPE,
            BYTES_TYPE,
            BYTEARRAY_TYPE,
            LIST_TYPE,
            TUPLE_TYPE,
            DICT_TYPE,
            SET_TYPE,
            FROZENSET_TYPE;
    public static long EXC_TYPE_ERROR,
            EXC_VALUE_ERROR,
            EXC_RUNTIME_ERROR,
            EXC_OVERFLOW_ERROR,
            EXC_SYSTEM_ERROR,
            EXC_STOP_ITERATION,
            EXC_UNICODE_ERROR,
            EXC_RECURSION_ERROR;

    static void read(NativeLibrary lib) {
        NONE = address(lib, "_Py_NoneStruct");
        TRUE = address(lib, "_Py_TrueStruct");
        FALSE = address(lib, "_Py_FalseStruct");
        NOT_IMPLEMENTED = address(lib, "_Py_NotImplementedStruct");
        LONG_TYPE = address(lib, "PyLong_Type");
        BOOL_TYPE = address(lib, "PyBool_Type");
        FLOAT_TYPE = address(lib, "PyFloat_Type");
        UNICODE_TYPE = address(lib, "PyUnicode_Type");
        BYTES_TYPE = address(lib, "PyBytes_Type");
        BYTEARRAY_TYPE = address(lib, "PyByteArray_Type");
        LIST_TYPE = address(lib, "PyList_Type");
        TUPLE_TYPE = address(lib, "PyTuple_Type");
        DICT_TYPE = address(lib, "PyDict_Type");
        SET_TYPE = address(lib, "PySet_Type");
        FROZENSET_TYPE = address(lib, "PyFrozenSet_Type");
        EXC_TYPE_ERROR = pointerAt(lib, "PyExc_TypeError");
        EXC_VALUE_ERROR = pointerAt(lib, "PyExc_ValueError");
        EXC_RUNTIME_ERROR = pointerAt(lib, "PyExc_RuntimeError");
        EXC_OVERFLOW_ERROR = pointerAt(lib, "PyExc_OverflowError");
        EXC_SYSTEM_ERROR = pointerAt(lib, "PyExc_SystemError");
        EXC_STOP_ITERATION = pointerAt(lib, "PyExc_StopIteration");
        EXC_UNICODE_ERROR = pointerAt(lib, "PyExc_UnicodeError");
        EXC_RECURSION_ERROR = pointerAt(lib, "PyExc_RecursionError");
    }

    private static long address(NativeLibrary lib, String symbol) {
        return Pointer.nativeValue(lib.getGlobalVariableAddress(symbol));
    }

    /** For symbols that are themselves {@code PyObject *} variables, such as {@code PyExc_TypeError}. */
    private static long pointerAt(NativeLibrary lib, String symbol) {
        return lib.getGlobalVariableAddress(symbol).getLong(0);
    }
}
