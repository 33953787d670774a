package dev.jawait.export;

import dev.jawait.Py;
import java.util.List;

/**
 * The arguments of a call to a function built with {@link ModuleDefinition.Builder}, already
 * converted to the declared parameter types, defaults filled in.
 *
 * <pre>{@code
 * .function("scale", f -> f
 *         .param("value", double.class)
 *         .param("factor", double.class, 2.0)
 *         .body(args -> args.getDouble("value") * args.getDouble("factor")))
 * }</pre>
 */
public final class Arguments {
    private final List<String> names;
    private final Object[] values;
    private final Py py;
    private final Cancellation cancellation;

    Arguments(List<String> names, Object[] values, Py py, Cancellation cancellation) {
        this.names = names;
        this.values = values;
        this.py = py;
        this.cancellation = cancellation;
    }

    public int size() {
        return values.length;
    }

    public Object get(int index) {
        return values[index];
    }

    public Object get(String name) {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; parameters: " + names);
        }
        return values[index];
    }

    public long getLong(String name) {
        return ((Number) get(name)).longValue();
    }

    public int getInt(String name) {
        return ((Number) get(name)).intValue();
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    /**
     * The GIL token of this call; unusable in functions that release the GIL, and null in those
     * that run on an executor ({@link ModuleDefinition#runningOn}).
     */
    public Py py() {
        return py;
    }

    /** For async functions: the cancellation of the awaiting coroutine; null for others. */
    public Cancellation cancellation() {
        return cancellation;
    }
}
