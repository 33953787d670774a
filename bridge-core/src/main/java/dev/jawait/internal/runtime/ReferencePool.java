package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Python work that a thread without the GIL had to leave for later: decrefs of references that
 * were forgotten (found by a Cleaner) or closed off the GIL, and thread states of Java threads that
 * died. Drained by the next thread that takes the GIL through jawait; never touches Python itself.
 */
public final class ReferencePool {
    private ReferencePool() {}

    private static final ConcurrentLinkedQueue<Long> DECREFS = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Long> DEAD_THREAD_STATES = new ConcurrentLinkedQueue<>();

    public static void deferDecref(long object) {
        DECREFS.add(object);
    }

    static void deferThreadStateDeletion(long tstate) {
        DEAD_THREAD_STATES.add(tstate);
    }

    /** Runs the deferred work; the caller holds the GIL. Cheap when there is none. */
    public static void drain() {
        if (DECREFS.isEmpty() && DEAD_THREAD_STATES.isEmpty()) {
            return;
        }
        if (!Interpreter.isRunning()) {
            return; // finalization already released everything these addresses pointed to
        }
        Long object;
        while ((object = DECREFS.poll()) != null) {
            CPython.Py_DecRef(object);
        }
        Long tstate;
        while ((tstate = DEAD_THREAD_STATES.poll()) != null) {
            CPython.PyThreadState_Clear(tstate);
            CPython.PyThreadState_Delete(tstate);
        }
    }

    /** For tests and diagnostics: deferred decrefs not yet drained. */
    public static int pendingDecrefs() {
        return DECREFS.size();
    }
}
