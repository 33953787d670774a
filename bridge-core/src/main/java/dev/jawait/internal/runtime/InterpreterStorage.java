package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What jawait keeps in one interpreter, by id: the values of {@link InterpreterLocal}s and the
 * callables that {@link PyFunctionRef}s looked up. Read without a lock (a plain load once set);
 * written under this object's lock, as threads of a free-threaded Python may use it at once.
 */
final class InterpreterStorage {
    private volatile Object[] locals = new Object[16];
    private volatile long[] functions = new long[64];

    /** The value of an {@link InterpreterLocal}, made on first use. */
    Object local(int id, Supplier<?> initial) {
        Object[] current = locals;
        Object value = id < current.length ? current[id] : null;
        return value != null ? value : firstLocal(id, initial);
    }

    private synchronized Object firstLocal(int id, Supplier<?> initial) {
        Object[] current = locals;
        if (id >= current.length) {
            current = Arrays.copyOf(current, Math.max(id + 1, current.length * 2));
        }
        Object value = current[id];
        if (value == null) {
            value = current[id] = initial.get();
        }
        locals = current; // publishes the value
        return value;
    }

    /** Sets the value of an {@link InterpreterLocal}. */
    synchronized void setLocal(int id, Object value) {
        Object[] current = locals;
        if (id >= current.length) {
            current = Arrays.copyOf(current, Math.max(id + 1, current.length * 2));
        }
        current[id] = value;
        locals = current; // publishes the value
    }

    /** The callable a {@link PyFunctionRef} found, or 0. */
    long function(int id) {
        long[] current = functions;
        return id < current.length ? current[id] : 0;
    }

    /**
     * Keeps {@code function}, a new reference, for the {@link PyFunctionRef} {@code id}, and returns
     * it; if another thread kept one first, drops {@code function} and returns that one.
     */
    synchronized long keepFunction(int id, long function) {
        long[] current = functions;
        if (id >= current.length) {
            current = Arrays.copyOf(current, Math.max(id + 1, current.length * 2));
        }
        if (current[id] != 0) {
            CPython.Py_DecRef(function);
            return current[id];
        }
        current[id] = function;
        functions = current;
        return function;
    }

    /**
     * Gives back the references kept here: the looked-up callables, and the locals that hold
     * references ({@link InterpreterLocal.Owning}), so that the objects they reach (module dicts,
     * and through them whole packages) are freed when the interpreter ends.
     */
    synchronized void release() {
        long[] functions = this.functions;
        Object[] locals = this.locals;
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
