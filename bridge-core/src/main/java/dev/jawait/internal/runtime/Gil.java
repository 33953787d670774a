package dev.jawait.internal.runtime;

import java.util.function.Supplier;

/** Runs internal work with an interpreter's GIL, taking it if the calling thread does not hold it. */
public final class Gil {
    private Gil() {}

    /**
     * Runs {@code body} holding {@code interpreter}'s GIL: at once if the thread holds it, else after
     * taking it, leaving any other interpreter's GIL the thread holds meanwhile.
     *
     * @throws IllegalStateException if the interpreter is shutting down or closed
     */
    public static <T> T call(Interpreter interpreter, Supplier<T> body) {
        ThreadAttachment attachment = ThreadAttachment.current();
        if (attachment.needsPinning()) {
            return attachment.pinnedScope(() -> call(interpreter, body));
        }
        if (attachment.holdsGil()) {
            if (attachment.interpreter() == interpreter) {
                return body.get();
            }
            ThreadAttachment.Suspended elsewhere = attachment.detach();
            try {
                return call(interpreter, body);
            } finally {
                attachment.reattach(elsewhere);
            }
        }
        if (!interpreter.tryEnter(attachment)) {
            throw new IllegalStateException(
                    "cannot attach: " + interpreter.what() + " is " + interpreter.describeState());
        }
        try {
            return body.get();
        } finally {
            interpreter.exit(attachment);
        }
    }

    /** Throws unless the calling thread holds the GIL of {@code interpreter}, a running one. */
    public static ThreadAttachment require(String operation, Interpreter interpreter) {
        if (interpreter.state() == Interpreter.State.CLOSED) {
            throw new IllegalStateException(
                    operation + ": this object belonged to " + interpreter.what() + ", which is closed");
        }
        ThreadAttachment attachment = ThreadAttachment.current();
        if (!attachment.holdsGil()) {
            throw new IllegalStateException(operation + " needs the GIL: call it inside Python.attach(...) "
                    + "or from a function called by Python");
        }
        if (attachment.interpreter() != interpreter) {
            throw new IllegalStateException(operation + ": this object belongs to the interpreter " + interpreter
                    + ", but the thread holds the GIL of " + attachment.interpreter() + "; pass values between "
                    + "interpreters as Java values (strings, numbers, lists, maps), not Python objects");
        }
        return attachment;
    }
}
