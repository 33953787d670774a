package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;

/**
 * A Python reference that internal code keeps: a PyObject's ownership without its API. Released by
 * {@link #close}, or by the cleaner once unreachable, from any thread.
 */
public final class OwnedReference implements AutoCloseable {
    private final ReferenceClaim claim;

    private OwnedReference(SharedReference shared) {
        this.claim = ReferenceClaim.register(this, shared);
    }

    /** Takes over a new reference. GIL held. */
    public static OwnedReference steal(long newReference) {
        return new OwnedReference(new SharedReference(newReference));
    }

    /** Keeps a reference of its own to a borrowed one. GIL held. */
    public static OwnedReference borrow(long address) {
        CPython.Py_IncRef(address);
        return steal(address);
    }

    /** The address, for use in the calling thread's interpreter; {@code what} names the object in errors. */
    public long addressHere(String what) {
        return claim.addressHere(what);
    }

    /** Whether it is still held and belongs to the interpreter the calling thread is in. */
    public boolean isUsableHere() {
        return !claim.isReleased() && claim.shared().isHere();
    }

    public boolean isClosed() {
        return claim.isReleased();
    }

    @Override
    public void close() {
        claim.close();
    }
}
