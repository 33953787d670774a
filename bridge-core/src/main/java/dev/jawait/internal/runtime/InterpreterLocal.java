package dev.jawait.internal.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A value per interpreter, as a ThreadLocal is per thread: made on first use in each interpreter,
 * for what jawait keeps of an interpreter's own objects (a looked-up callable, interned names, the
 * JavaObject type). Read with that interpreter's GIL held.
 */
public final class InterpreterLocal<T> {
    /** A value that holds references to its interpreter's objects, given back when the interpreter ends. */
    public interface Owning {
        /** Decrefs what it holds. GIL held. */
        void release();
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id = IDS.getAndIncrement();
    private final Supplier<T> initial;

    public InterpreterLocal(Supplier<T> initial) {
        this.initial = initial;
    }

    /** A local whose values are {@link #set} rather than made on first use: null until then. */
    public InterpreterLocal() {
        this(() -> null);
    }

    /** The value in the interpreter whose GIL the calling thread holds. */
    public T get() {
        return get(ThreadAttachment.current().interpreter());
    }

    @SuppressWarnings("unchecked")
    public T get(Interpreter interpreter) {
        return (T) interpreter.storage.local(id, initial);
    }

    /** Sets {@code interpreter}'s value, replacing the initial one. */
    public void set(Interpreter interpreter, T value) {
        interpreter.storage.setLocal(id, value);
    }
}
