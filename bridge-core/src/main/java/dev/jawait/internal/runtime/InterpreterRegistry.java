package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;
import java.util.Arrays;

/**
 * The interpreters of this JVM: the main one, and the live isolated ones by index (the main one is
 * 0; an ended interpreter's index is used again). Changed only under {@link #LOCK}; read without it.
 */
final class InterpreterRegistry {
    /** Guards start-up, every change here and each interpreter's change of state. */
    static final Object LOCK = new Object();

    private static volatile Interpreter main;
    private static volatile Interpreter[] byIndex = new Interpreter[1];
    /** Set once an isolated interpreter exists: until then every call from Python is in the main one. */
    private static volatile boolean isolatedCreated;

    private InterpreterRegistry() {}

    /** The main interpreter, or null before Python starts. */
    static Interpreter main() {
        return main;
    }

    /** Records the main interpreter, at index 0; {@link #LOCK} held. */
    static void registerMain(Interpreter interpreter) {
        byIndex = new Interpreter[] {interpreter};
        main = interpreter;
    }

    /** The index a new isolated interpreter takes: the first free one; {@link #LOCK} held. */
    static int freeIndex() {
        int free = Arrays.asList(byIndex).indexOf(null);
        return free >= 0 ? free : byIndex.length;
    }

    /** Records an isolated interpreter at {@code index} (from {@link #freeIndex}); {@link #LOCK} held. */
    static void registerIsolated(Interpreter interpreter, int index) {
        Interpreter[] grown = Arrays.copyOf(byIndex, Math.max(byIndex.length, index + 1));
        grown[index] = interpreter;
        byIndex = grown;
        isolatedCreated = true;
    }

    /** Frees an ended isolated interpreter's index; {@link #LOCK} held. */
    static void remove(int index) {
        Interpreter[] shrunk = byIndex.clone();
        shrunk[index] = null;
        byIndex = shrunk;
    }

    /** The interpreter running the Python code that called into Java on this thread (GIL held). */
    static Interpreter ofRunningCode() {
        if (!isolatedCreated) {
            return main;
        }
        long running = CPython.PyInterpreterState_Get();
        for (Interpreter interpreter : byIndex) {
            if (interpreter != null && interpreter.address() == running) {
                return interpreter;
            }
        }
        return main; // an interpreter jawait did not make: its objects are shared with none of ours
    }
}
