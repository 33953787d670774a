package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.CPython;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Python reference, shared by a {@code PyObject}, the ones made from it with
 * {@code newReference()} and internal holders ({@link #share}); the last owner to let go releases
 * it: at once if it holds the object's interpreter's GIL, else at that interpreter's next attach.
 */
public final class SharedReference {
    private final long address;
    /** The interpreter the object belongs to: only a thread holding its GIL may use or release it. */
    private final Interpreter owner;

    private final AtomicInteger owners = new AtomicInteger(1);

    /** Takes over a new reference to an object of the interpreter the calling thread is in. */
    public SharedReference(long address) {
        this(address, ThreadAttachment.current().interpreter());
    }

    private SharedReference(long address, Interpreter owner) {
        this.address = address;
        this.owner = owner;
    }

    /** The address, whatever the thread; for identity, or for a caller that checked where it is. */
    public long address() {
        return address;
    }

    public Interpreter owner() {
        return owner;
    }

    /** The address, for use in the calling thread's interpreter, which must be the object's. */
    public long addressHere(String what) {
        requireHere(what);
        return address;
    }

    /** Whether the calling thread is in the interpreter the object belongs to. */
    public boolean isHere() {
        return ThreadAttachment.current().interpreter() == owner;
    }

    /** Throws unless the calling thread is in the interpreter the object belongs to. */
    public void requireHere(String what) {
        Interpreter here = ThreadAttachment.current().interpreter();
        if (here != owner) {
            throw new IllegalStateException(what + " belongs to the interpreter " + owner
                    + ", but this thread is in "
                    + here + "; pass values between interpreters as Java values (strings, numbers, lists, maps), "
                    + "not Python objects");
        }
    }

    /**
     * One more owner; needs no GIL.
     *
     * @throws IllegalStateException if the last owner let go meanwhile
     */
    public SharedReference share() {
        int count;
        do { // never from 0: a close on another thread may have released the Python reference meanwhile
            count = owners.get();
            if (count == 0) {
                throw new IllegalStateException("this PyObject has been closed");
            }
        } while (!owners.compareAndSet(count, count + 1));
        return this;
    }

    /** Gives back a share from {@link #share}: released now with the GIL, else at the next attach. */
    public void release() {
        release(true);
    }

    /** Drops one owner; the last releases the Python reference, at once only if allowed to. */
    void release(boolean mayDecrefNow) {
        if (owners.decrementAndGet() != 0 || owner.state() == Interpreter.State.CLOSED) {
            return; // others still own it, or the interpreter's end already freed everything
        }
        ThreadAttachment attachment = mayDecrefNow ? ThreadAttachment.current() : null;
        if (attachment != null && attachment.holdsGil() && attachment.interpreter() == owner) {
            CPython.Py_DecRef(address);
        } else {
            owner.deferDecref(address);
        }
    }
}
