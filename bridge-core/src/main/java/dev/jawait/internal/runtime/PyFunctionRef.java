package dev.jawait.internal.runtime;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.ffi.CPython;

/**
 * A Python callable named by module and attribute, looked up once per interpreter, on first use,
 * and kept for the interpreter's lifetime. Guarded by the GIL.
 */
public final class PyFunctionRef {
    private final String module;
    private final String attribute;
    private long function;

    public PyFunctionRef(String module, String attribute) {
        this.module = module;
        this.attribute = attribute;
    }

    /** A borrowed reference to the callable; the caller holds the GIL. */
    public long get() {
        long f = function;
        if (f == 0) {
            long m = CPython.PyImport_ImportModule(module);
            if (m == 0) {
                throw PythonErrors.fetch();
            }
            f = CPython.PyObject_GetAttr(m, PyStrings.intern(attribute));
            CPython.Py_DecRef(m);
            if (f == 0) {
                throw PythonErrors.fetch();
            }
            function = f;
        }
        return f;
    }

    /** Whether the lookup has already happened (so using it cannot import anything). */
    public boolean isResolved() {
        return function != 0;
    }

    @Override
    public String toString() {
        return module + "." + attribute;
    }
}
