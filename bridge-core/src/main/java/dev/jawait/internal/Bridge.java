package dev.jawait.internal;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.PythonException;
import dev.jawait.export.Cancellation;
import dev.jawait.export.FunctionDefinition;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.List;

/**
 * Internal access to the public API's private state (addresses, token scopes), so that no public
 * method exposes an address. Filled in by the static initializers of the public classes.
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

        /**
         * Another share of {@code object}'s Python reference, with no PyObject (and no Cleaner)
         * around it, for internal work that gives it back with {@link #release}. Needs no GIL.
         */
        Object retain(PyObject object);

        /** The address of a share from {@link #retain}. */
        long address(Object retained);

        /** Gives back a share from {@link #retain}: released now with the GIL, else at the next attach. */
        void release(Object retained);

        /** Whether {@code object} belongs to the interpreter the calling thread is in. */
        boolean isHere(PyObject object);
    }

    public interface Tokens {
        Py open(ThreadAttachment attachment);

        /** The thread's token if it is for the interpreter the thread is in now, else null. */
        Py current(ThreadAttachment attachment);

        void close(Py token);
    }

    public interface Exceptions {
        /** A PythonException owning {@code exception} (may be null). */
        PythonException create(
                String type, String qualifiedType, String message, List<String> hierarchy, PyObject exception);

        /** The owned Python exception object of {@code e}, or null. */
        PyObject exceptionObject(PythonException e);
    }

    public interface Definitions {
        /** Runs a function's Java body with converted arguments (injected ones included). */
        Object invoke(FunctionDefinition function, Object[] arguments) throws Throwable;
    }

    public interface Pythons {
        /** The interpreter a {@code Python} stands for. */
        Interpreter interpreter(Python python);
    }

    public interface Cancellations {
        Cancellation create();

        /** Cancels and runs the hooks, logging any that fail. */
        void cancel(Cancellation cancellation);
    }

    public interface Builders {
        /**
         * How start-up errors name the builder's executable setting: as the jawait command's
         * {@code --python} option rather than {@code Python.builder().executable(...)}.
         */
        void nameExecutableSetting(Python.Builder builder, String name);
    }

    private static References references;
    private static Tokens tokens;
    private static Exceptions exceptions;
    private static Definitions definitions;
    private static Cancellations cancellations;
    private static Pythons pythons;
    private static Builders builders;

    public static void setReferences(References r) {
        references = r;
    }

    public static void setTokens(Tokens t) {
        tokens = t;
    }

    public static void setExceptions(Exceptions e) {
        exceptions = e;
    }

    public static void setDefinitions(Definitions d) {
        definitions = d;
    }

    public static void setCancellations(Cancellations c) {
        cancellations = c;
    }

    public static void setPythons(Pythons p) {
        pythons = p;
    }

    public static void setBuilders(Builders b) {
        builders = b;
    }

    public static References references() {
        return references != null ? references : filledBy(PyObject.class, () -> references);
    }

    public static Tokens tokens() {
        return tokens != null ? tokens : filledBy(Py.class, () -> tokens);
    }

    public static Exceptions exceptions() {
        return exceptions != null ? exceptions : filledBy(PythonException.class, () -> exceptions);
    }

    public static Definitions definitions() {
        return definitions != null ? definitions : filledBy(FunctionDefinition.class, () -> definitions);
    }

    public static Pythons pythons() {
        return pythons != null ? pythons : filledBy(Python.class, () -> pythons);
    }

    public static Cancellations cancellations() {
        return cancellations != null ? cancellations : filledBy(Cancellation.class, () -> cancellations);
    }

    public static Builders builders() {
        return builders != null ? builders : filledBy(Python.class, () -> builders);
    }

    /** Initializes {@code owner}, whose static initializer fills in the field that {@code field} reads. */
    private static <T> T filledBy(Class<?> owner, java.util.function.Supplier<T> field) {
        try {
            Class.forName(owner.getName(), true, owner.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return field.get();
    }
}
