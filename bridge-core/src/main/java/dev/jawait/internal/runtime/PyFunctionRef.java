package dev.jawait.internal.runtime;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.ffi.CPython;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Python callable named by module and attribute, looked up once per interpreter, on first use,
 * and kept for that interpreter's lifetime; threads that look it up at once keep one.
 */
public final class PyFunctionRef {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id = IDS.getAndIncrement();
    private final String module;
    private final String attribute;

    public PyFunctionRef(String module, String attribute) {
        this.module = module;
        this.attribute = attribute;
    }

    /** A borrowed reference to the callable in the interpreter whose GIL the caller holds. */
    public long get() {
        return get(ThreadAttachment.current().interpreter());
    }

    /** A borrowed reference to the callable in {@code interpreter}; the caller holds its GIL. */
    public long get(Interpreter interpreter) {
        long f = interpreter.storage.function(id);
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
            f = interpreter.storage.keepFunction(id, f);
        }
        return f;
    }

    @Override
    public String toString() {
        return module + "." + attribute;
    }
}
