package dev.jawait.internal.runtime;

import dev.jawait.internal.Bridge;

/**
 * The outermost attach scope of a thread in one interpreter: what a {@code Py} token proves. A
 * token is valid only on the scope's thread, with the GIL held, in its interpreter, until the scope
 * ends; {@link #check} says which of these a misuse broke.
 */
public final class AttachScope {
    private final ThreadAttachment owner;
    /** The interpreter whose GIL the scope holds. */
    private final Interpreter interpreter;

    private boolean open = true;
    /**
     * The {@code Py} token of this scope, made on first use, so that nested attaches get the same
     * one. Internal code hands it to user code and never uses it.
     */
    private Object token;

    public AttachScope(ThreadAttachment owner) {
        this.owner = owner;
        this.interpreter = owner.interpreter();
    }

    /** The thread's scope if it is for the interpreter the thread is in now, else null. */
    public static AttachScope current(ThreadAttachment attachment) {
        AttachScope scope = attachment.scope();
        return scope != null && scope.interpreter == attachment.interpreter() ? scope : null;
    }

    /** This scope's {@code Py} token. */
    public Object token() {
        Object made = token;
        if (made == null) {
            made = token = Bridge.values().token(this);
        }
        return made;
    }

    /** Sets this scope's token, which its opener made. */
    public void setToken(Object token) {
        this.token = token;
    }

    /** The thread's attachment, which {@code py.detach} suspends. */
    public ThreadAttachment owner() {
        return owner;
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    public void close() {
        open = false;
    }

    /** Throws, saying why, unless a token of this scope may be used here and now. */
    public void check() {
        if (!open) {
            throw new IllegalStateException("this Py token was used after its attach scope ended; "
                    + "use the token only inside the lambda that received it");
        }
        Thread current = Thread.currentThread();
        if (current != owner.thread()) {
            throw new IllegalStateException(
                    "this Py token belongs to thread '" + owner.thread().getName() + "' but was used on thread '"
                            + current.getName() + "'; attach on each thread");
        }
        if (!owner.holdsGil()) {
            throw new IllegalStateException("this Py token was used inside py.detach(...), where the GIL is "
                    + "released; attach again inside the detached block instead");
        }
        if (owner.interpreter() != interpreter) {
            throw new IllegalStateException("this Py token is for the interpreter " + interpreter + ", but the thread "
                    + "is in " + owner.interpreter() + " now; use the token of that attach");
        }
    }
}
