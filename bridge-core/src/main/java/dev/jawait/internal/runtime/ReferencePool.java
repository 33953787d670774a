package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Decrefs that a thread without the GIL had to leave for later: of references that were forgotten
 * (found by a Cleaner) or closed off the GIL. Drained by the next thread that takes the GIL through
 * jawait; never touches Python itself.
 */
public final class ReferencePool {
    private ReferencePool() {}

    private static final ConcurrentLinkedQueue<Long> DECREFS = new ConcurrentLinkedQueue<>();

    public static void deferDecref(long object) {
        DECREFS.add(object);
    }

    /** Runs the deferred work; the caller holds the GIL. Cheap when there is none. */
    public static void drain() {
        if (DECREFS.isEmpty()) {
            return;
        }
        if (!Interpreter.isRunning()) {
            return; // finalization already released everything these addresses pointed to
        }
        Long object;
        while ((object = DECREFS.poll()) != null) {
            CPython.Py_DecRef(object);
        }
    }

    /** For tests and diagnostics: deferred decrefs not yet drained. */
    public static int pendingDecrefs() {
        return DECREFS.size();
    }
}
