package dev.jawait.internal;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.PythonException;
import dev.jawait.export.Cancellation;
import dev.jawait.export.FunctionDefinition;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.SharedReference;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.lang.StackWalker.Option;
import java.util.List;

/**
 * The one seam through which internal code reaches what only the public classes hold: a
 * {@code PyObject}'s reference, a {@code Py} token's scope, the {@code Interpreter} behind a
 * {@code Python}, the constructors that only jawait may call. No public method exposes these.
 *
 * <p>Each public package hands its side once: {@code dev.jawait.ApiAccess} installs {@link Core}
 * and {@code dev.jawait.export.ExportAccess} installs {@link Export}, from their static
 * initializers, which the first read here runs. An install from any other class, or a second one,
 * throws; so code on the class path cannot replace either side (the module system already keeps it
 * from this package).
 */
public final class Bridge {
    private Bridge() {}

    public interface References {
        /** The address of a live (not closed) object; throws if closed or of another interpreter. */
        long address(PyObject object);

        /** Wraps a new reference, taking it over. */
        PyObject steal(long address);

        /** Wraps a borrowed reference, adding one of its own. */
        PyObject borrow(long address);

        /**
         * Another share of {@code object}'s Python reference, with no PyObject (and no Cleaner)
         * around it, for internal work that gives it back with {@link SharedReference#release}.
         * Needs no GIL.
         */
        SharedReference retain(PyObject object);

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

    public interface Pythons {
        /** The interpreter a {@code Python} stands for. */
        Interpreter interpreter(Python python);
    }

    public interface Builders {
        /**
         * How start-up errors name the builder's executable setting: as the jawait command's
         * {@code --python} option rather than {@code Python.builder().executable(...)}.
         */
        void nameExecutableSetting(Python.Builder builder, String name);
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

    /** What {@code dev.jawait}'s classes hold. */
    public interface Core extends References, Tokens, Exceptions, Pythons, Builders {}

    /** What {@code dev.jawait.export}'s classes hold. */
    public interface Export extends Definitions, Cancellations {}

    private static final String CORE_ACCESS = "dev.jawait.ApiAccess";
    private static final String EXPORT_ACCESS = "dev.jawait.export.ExportAccess";
    private static final StackWalker CALLERS = StackWalker.getInstance(Option.RETAIN_CLASS_REFERENCE);

    private static volatile Core core;
    private static volatile Export export;

    /** Called once, by {@code dev.jawait.ApiAccess}'s static initializer. */
    public static void install(Core access) {
        requireCaller(CALLERS.getCallerClass(), CORE_ACCESS);
        synchronized (Bridge.class) {
            if (core != null) {
                throw new IllegalStateException("the Bridge's Core side is installed already");
            }
            core = access;
        }
    }

    /** Called once, by {@code dev.jawait.export.ExportAccess}'s static initializer. */
    public static void install(Export access) {
        requireCaller(CALLERS.getCallerClass(), EXPORT_ACCESS);
        synchronized (Bridge.class) {
            if (export != null) {
                throw new IllegalStateException("the Bridge's Export side is installed already");
            }
            export = access;
        }
    }

    public static References references() {
        return core();
    }

    public static Tokens tokens() {
        return core();
    }

    public static Exceptions exceptions() {
        return core();
    }

    public static Pythons pythons() {
        return core();
    }

    public static Builders builders() {
        return core();
    }

    public static Definitions definitions() {
        return export();
    }

    public static Cancellations cancellations() {
        return export();
    }

    private static Core core() {
        Core access = core;
        if (access == null) {
            initialize(CORE_ACCESS);
            access = core;
        }
        return access;
    }

    private static Export export() {
        Export access = export;
        if (access == null) {
            initialize(EXPORT_ACCESS);
            access = export;
        }
        return access;
    }

    private static void requireCaller(Class<?> caller, String expected) {
        if (!caller.getName().equals(expected) || caller.getClassLoader() != Bridge.class.getClassLoader()) {
            throw new IllegalStateException(
                    "only jawait's " + expected + " installs this side of the Bridge, not " + caller.getName());
        }
    }

    /** Runs the static initializer of {@code accessClass}, which installs its side. */
    private static void initialize(String accessClass) {
        try {
            Class.forName(accessClass, true, Bridge.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
