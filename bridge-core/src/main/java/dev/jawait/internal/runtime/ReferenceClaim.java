package dev.jawait.internal.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * One {@code PyObject}'s share of a {@link SharedReference}, released once: by {@link #close}, or
 * by the Cleaner when the holder is forgotten (which never decrefs itself, but defers the decref to
 * the interpreter's next attach).
 */
public final class ReferenceClaim implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(ReferenceClaim.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SharedReference shared;
    private Cleaner.Cleanable cleanable;

    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile boolean released;

    private ReferenceClaim(SharedReference shared) {
        this.shared = shared;
    }

    /** A claim on {@code shared} for {@code holder}, released by the Cleaner once {@code holder} is unreachable. */
    public static ReferenceClaim register(Object holder, SharedReference shared) {
        ReferenceClaim claim = new ReferenceClaim(shared);
        claim.cleanable = CLEANER.register(holder, claim);
        return claim;
    }

    public SharedReference shared() {
        return shared;
    }

    /** The object's address; refuses a released claim. */
    public long address() {
        if (released) {
            throw new IllegalStateException("this PyObject has been closed");
        }
        return shared.address();
    }

    /**
     * The address of a live object of the interpreter the calling thread is in; {@code what} names
     * the holder in the error otherwise.
     */
    public long addressHere(String what) {
        long address = address();
        shared.requireHere(what);
        return address;
    }

    /** One more owner of the object's reference, with no claim of its own; refuses a released claim. */
    public SharedReference share() {
        address();
        return shared.share();
    }

    public boolean isReleased() {
        return released;
    }

    private boolean tryRelease() {
        return RELEASED.compareAndSet(this, false, true);
    }

    /**
     * Releases the share; does nothing if already released. Safe on any thread: with the GIL the
     * release happens at once, without it at the next GIL acquisition.
     */
    public void close() {
        if (tryRelease()) {
            cleanable.clean(); // unregisters; the action finds the claim already released
            shared.release(true);
        }
    }

    /** The Cleaner's action. */
    @Override
    public void run() {
        if (tryRelease()) {
            shared.release(false);
        }
    }
}
