package dev.jawait.internal.async;

import dev.jawait.PyObject;

/**
 * Arguments for Python work that runs later on a loop: each PyObject among them is replaced by a
 * reference of its own (taken without the GIL), so that the caller may close theirs at once.
 * {@link #close} releases them.
 */
public final class KeptArguments implements AutoCloseable {
    private static final KeptArguments NONE = new KeptArguments(new Object[0]);

    private final Object[] values;

    private KeptArguments(Object[] values) {
        this.values = values;
    }

    public static KeptArguments of(Object... arguments) {
        if (arguments.length == 0) {
            return NONE;
        }
        Object[] values = arguments.clone();
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof PyObject p) {
                values[i] = p.newReference();
            }
        }
        return new KeptArguments(values);
    }

    /** The arguments, with this object's own references; valid until {@link #close}. */
    public Object[] values() {
        return values;
    }

    @Override
    public void close() {
        for (Object value : values) {
            if (value instanceof PyObject p) {
                p.close();
            }
        }
    }
}
