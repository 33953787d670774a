package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What jawait keeps in one interpreter, by id: the values of {@link InterpreterLocal}s and the
 * callables that {@link PyFunctionRef}s looked up. Guarded by the interpreter's GIL.
 */
final class InterpreterStorage {
    private Object[] locals = new Object[16];
    private long[] functions = new long[64];

    /** The value of an {@link InterpreterLocal}, made on first use. */
    Object local(int id, Supplier<?> initial) {
        if (id >= locals.length) {
            locals = Arrays.copyOf(locals, Math.max(id + 1, locals.length * 2));
        }
        Object value = locals[id];
        if (value == null) {
            value = locals[id] = initial.get();
        }
        return value;
    }

    /** The callable a {@link PyFunctionRef} found, or 0. */
    long function(int id) {
        return id < functions.length ? functions[id] : 0;
    }

    /** Keeps {@code function}, a new reference, for the {@link PyFunctionRef} {@code id}. */
    void keepFunction(int id, long function) {
        if (id >= functions.length) {
            functions = Arrays.copyOf(functions, Math.max(id + 1, functions.length * 2));
        }
        functions[id] = function;
    }

    /**
     * Gives back the references kept here: the looked-up callables, and the locals that hold
     * references ({@link InterpreterLocal.Owning}), so that the objects they reach (module dicts,
     * and through them whole packages) are freed when the interpreter ends.
     */
    void release() {
        for (int i = 0; i < functions.length; i++) {
            if (functions[i] != 0) {
                CPython.Py_DecRef(functions[i]);
                functions[i] = 0;
            }
        }
        for (int i = 0; i < locals.length; i++) {
            if (locals[i] instanceof InterpreterLocal.Owning owning) {
                owning.release();
                locals[i] = null;
            }
        }
    }
}
