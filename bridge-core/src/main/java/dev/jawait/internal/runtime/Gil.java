package dev.jawait.internal.runtime;

import java.util.function.Supplier;

/** Runs internal work with the GIL, taking it if the calling thread does not hold it. */
public final class Gil {
    private Gil() {}

    public static <T> T call(Supplier<T> body) {
        ThreadAttachment attachment = ThreadAttachment.current();
        if (attachment.holdsGil()) {
            return body.get();
        }
        Interpreter interpreter = Interpreter.current();
        if (interpreter == null || !interpreter.tryEnter(attachment)) {
            throw new IllegalStateException("Python is not running"
                    + (interpreter == null ? "" : " (it is " + interpreter.state().name().toLowerCase() + ")"));
        }
        try {
            return body.get();
        } finally {
            interpreter.exit(attachment);
        }
    }

    /** Throws unless the calling thread holds the GIL of a running interpreter. */
    public static ThreadAttachment require(String operation) {
        ThreadAttachment attachment = ThreadAttachment.current();
        if (!attachment.holdsGil()) {
            throw new IllegalStateException(operation + " needs the GIL: call it inside Python.attach(...) "
                    + "or from a function called by Python");
        }
        if (!Interpreter.isRunning() && Interpreter.current() != null
                && Interpreter.current().state() == Interpreter.State.CLOSED) {
            throw new IllegalStateException(operation + ": Python has been closed");
        }
        return attachment;
    }
}
