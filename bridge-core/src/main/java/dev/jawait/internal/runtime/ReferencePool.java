package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One interpreter's decrefs deferred until a thread next takes its GIL: what a Cleaner, or a
 * thread without that GIL, lets go of. Adding never touches Python.
 */
final class ReferencePool {
    private final ConcurrentLinkedQueue<Long> deferred = new ConcurrentLinkedQueue<>();

    /** Releases {@code object} at the next {@link #drain}. Any thread. */
    void defer(long object) {
        deferred.add(object);
    }

    /** Runs the deferred decrefs; the caller holds the interpreter's GIL. Cheap when there are none. */
    void drain() {
        if (deferred.isEmpty()) {
            return;
        }
        Long object;
        while ((object = deferred.poll()) != null) {
            CPython.Py_DecRef(object);
        }
    }
}
