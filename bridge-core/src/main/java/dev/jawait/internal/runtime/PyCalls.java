package dev.jawait.internal.runtime;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;

/** Calls into Python with borrowed arguments, through vectorcall. The caller holds the GIL. */
public final class PyCalls {
    private PyCalls() {}

    /** Calls {@code callable(*args)} and returns a new reference, or throws the Python error. */
    public static long call(long callable, long... args) {
        long result = callOrZero(callable, 0, args);
        if (result == 0) {
            throw PythonErrors.fetch();
        }
        return result;
    }

    /** Like {@link #call} with a keyword dict ({@code 0} for none). */
    public static long callWithKeywords(long callable, long kwargs, long... args) {
        long result = callOrZero(callable, kwargs, args);
        if (result == 0) {
            throw PythonErrors.fetch();
        }
        return result;
    }

    /** Calls and returns the result, or 0 with the Python error left set. */
    public static long callOrZero(long callable, long kwargs, long... args) {
        int n = args.length;
        if (n == 0 && kwargs == 0) {
            return CPython.PyObject_CallNoArgs(callable);
        }
        ThreadAttachment attachment = ThreadAttachment.current();
        long argv = attachment.pushSlots(Math.max(n, 1));
        try {
            for (int i = 0; i < n; i++) {
                Memory.putLong(argv + 8L * i, args[i]);
            }
            return CPython.PyObject_VectorcallDict(callable, argv, n, kwargs);
        } finally {
            attachment.popSlots(argv, Math.max(n, 1));
        }
    }

    /**
     * {@code callable(*args, **kwargs)} with each Java argument converted, written straight into the
     * vectorcall array; returns a new reference or throws the Python error. {@code kwargs}: a dict, or 0.
     */
    public static long callConverted(long callable, long kwargs, Object[] args) {
        int n = args.length;
        if (n == 0 && kwargs == 0) {
            return checked(CPython.PyObject_CallNoArgs(callable));
        }
        ThreadAttachment attachment = ThreadAttachment.current();
        int slots = Math.max(n, 1);
        long argv = attachment.pushSlots(slots);
        int converted = 0;
        try {
            for (; converted < n; converted++) {
                Memory.putLong(argv + 8L * converted, ToPython.convert(args[converted]));
            }
            return checked(CPython.PyObject_VectorcallDict(callable, argv, n, kwargs));
        } finally {
            for (int i = 0; i < converted; i++) {
                CPython.Py_DecRef(Memory.getLong(argv + 8L * i));
            }
            attachment.popSlots(argv, slots);
        }
    }

    private static long checked(long result) {
        if (result == 0) {
            throw PythonErrors.fetch();
        }
        return result;
    }

    /** Calls and discards the result. */
    public static void callVoid(long callable, long... args) {
        CPython.Py_DecRef(call(callable, args));
    }
}
