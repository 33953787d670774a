package dev.jawait.internal.async;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.SharedReference;

/**
 * Arguments for Python work that runs later on a loop: each PyObject among them is kept as a share
 * of its own (taken without the GIL), so that the caller may close theirs at once. {@link #close}
 * gives them back.
 */
public final class KeptArguments implements AutoCloseable {
    private static final KeptArguments NONE = new KeptArguments(new Object[0]);

    private static final String PASSED = "a PyObject passed to Python";

    /** The arguments, each PyObject among them replaced by a {@link SharedReference} of its own. */
    private final Object[] values;

    private final boolean[] retained;

    private KeptArguments(Object[] values) {
        this.values = values;
        this.retained = new boolean[values.length];
    }

    public static KeptArguments of(Object... arguments) {
        if (arguments.length == 0) {
            return NONE;
        }
        KeptArguments kept = new KeptArguments(arguments.clone());
        for (int i = 0; i < kept.values.length; i++) {
            Object value = kept.values[i];
            if (value != null && value.getClass() == Bridge.values().objectClass()) {
                kept.values[i] = Bridge.values().claim(value).share();
                kept.retained[i] = true;
            }
        }
        return kept;
    }

    /** {@code callable(*arguments)}: a new reference, or throws the Python error. GIL held. */
    public long call(long callable) {
        long[] converted = new long[values.length];
        try {
            for (int i = 0; i < values.length; i++) {
                converted[i] = retained[i]
                        ? ToPython.newReference(((SharedReference) values[i]).addressHere(PASSED))
                        : ToPython.convert(values[i]);
            }
            return PyCalls.call(callable, converted);
        } finally {
            for (long argument : converted) {
                if (argument != 0) {
                    CPython.Py_DecRef(argument);
                }
            }
        }
    }

    /** The arguments as a new Python list. GIL held. */
    public long toList() {
        long list = ToPython.checked(CPython.PyList_New(values.length));
        try {
            for (int i = 0; i < values.length; i++) {
                CPython.PyList_SetItem(
                        list,
                        i,
                        retained[i]
                                ? ToPython.newReference(((SharedReference) values[i]).addressHere(PASSED))
                                : ToPython.convert(values[i]));
            }
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(list);
            throw e;
        }
        return list;
    }

    @Override
    public void close() {
        for (int i = 0; i < values.length; i++) {
            if (retained[i]) {
                retained[i] = false;
                ((SharedReference) values[i]).release();
            }
        }
    }
}
