package dev.jawait.internal;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.PythonException;
import dev.jawait.export.Cancellation;
import dev.jawait.export.FunctionDefinition;
import java.util.List;
import dev.jawait.internal.runtime.ThreadAttachment;

/**
 * Internal access to the public API's private state (addresses, token scopes), so that no public
 * method exposes an address. Filled in by the static initializers of {@link PyObject} and {@link Py}.
 */
public final class Bridge {
    private Bridge() {}

    public interface References {
        /** The address of a live (not closed) object; throws if closed. */
        long address(PyObject object);

        /** Wraps a new reference, taking it over. */
        PyObject steal(long address);

        /** Wraps a borrowed reference, adding one of its own. */
        PyObject borrow(long address);
    }

    public interface Tokens {
        Py open(ThreadAttachment attachment);

        void close(Py token);
    }

    public interface Exceptions {
        /** A PythonException owning {@code exception} (may be null). */
        PythonException create(String type, String qualifiedType, String message, List<String> hierarchy,
                               PyObject exception);

        /** The owned Python exception object of {@code e}, or null. */
        PyObject exceptionObject(PythonException e);
    }

    public interface Definitions {
        /** Runs a function's Java body with converted arguments (injected ones included). */
        Object invoke(FunctionDefinition function, Object[] arguments) throws Throwable;
    }

    public interface Cancellations {
        Cancellation create();

        /** Cancels and runs the hooks, logging any that fail. */
        void cancel(Cancellation cancellation);
    }

    private static Cancellations cancellations;

    public static void setCancellations(Cancellations c) { cancellations = c; }

    public static Cancellations cancellations() {
        if (cancellations == null) {
            initialize(Cancellation.class);
        }
        return cancellations;
    }

    private static Definitions definitions;

    public static void setDefinitions(Definitions d) { definitions = d; }

    public static Definitions definitions() {
        if (definitions == null) {
            initialize(FunctionDefinition.class);
        }
        return definitions;
    }

    private static References references;
    private static Tokens tokens;
    private static Exceptions exceptions;

    public static void setReferences(References r) { references = r; }

    public static void setTokens(Tokens t) { tokens = t; }

    public static void setExceptions(Exceptions e) { exceptions = e; }

    public static Exceptions exceptions() {
        if (exceptions == null) {
            initialize(PythonException.class);
        }
        return exceptions;
    }

    public static References references() {
        if (references == null) {
            initialize(PyObject.class);
        }
        return references;
    }

    public static Tokens tokens() {
        if (tokens == null) {
            initialize(Py.class);
        }
        return tokens;
    }

    private static void initialize(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
