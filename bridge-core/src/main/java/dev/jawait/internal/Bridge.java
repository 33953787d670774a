package dev.jawait.internal;

import dev.jawait.Python;
import dev.jawait.export.Cancellation;
import dev.jawait.export.FunctionDefinition;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.internal.export.JavaModule;
import dev.jawait.internal.export.NativeModuleBuilder;
import dev.jawait.internal.runtime.AttachScope;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.ReferenceClaim;
import java.lang.StackWalker.Option;
import java.util.List;

/**
 * The one seam between the public classes and internal code. Internal code names no public class
 * that depends on it: what it makes or takes of theirs (a {@code PyObject} converted from Python, a
 * {@code Py} token injected into a function, a {@code PythonException}) it handles through the
 * methods here, as the Java values they are ({@code Object}), or by the internal parts they hold (a
 * PyObject's {@link ReferenceClaim}, a token's {@link AttachScope}). So dependencies run one way,
 * from the public classes to internal ones, but for this class; {@code scripts/tiers} checks that.
 * (Internal code may name public types that reach nothing internal in turn, such as
 * {@code FunctionDefinition} or {@code AsyncBackend}: plain data and interfaces it reads.)
 *
 * <p>Each public package hands its side once: {@code dev.jawait.ApiAccess} installs {@link Core}
 * and {@code dev.jawait.export.ExportAccess} installs {@link Export}, from their static
 * initializers, which the first read here runs. An install from any other class, or a second one,
 * throws; so code on the class path cannot replace either side (the module system already keeps it
 * from this package). The methods that name public classes are for public classes of other
 * packages, which cannot reach each other's package-private parts.
 */
public final class Bridge {
    private Bridge() {}

    /** PyObjects and Py tokens, as the Java values internal code makes and takes. */
    public interface Values {
        /** {@code PyObject}: the class that converters look for. */
        Class<?> objectClass();

        /** {@code Py}: the class of the parameter that functions get a token in. */
        Class<?> tokenClass();

        /** A PyObject taking over a new reference. */
        Object steal(long address);

        /** A PyObject with a reference of its own to a borrowed one. */
        Object borrow(long address);

        /** The claim of a PyObject ({@code value} must be one): its reference, and whether it is closed. */
        ReferenceClaim claim(Object value);

        /** A new token of {@code scope} (which keeps it: see {@link AttachScope#token}). */
        Object token(AttachScope scope);
    }

    public interface Exceptions {
        /** A PythonException owning {@code exception}, a PyObject (may be null). */
        RuntimeException create(
                String type, String qualifiedType, String message, List<String> hierarchy, Object exception);

        /** The claim of the Python exception object {@code e} owns, if it is a PythonException that owns one. */
        ReferenceClaim exceptionObject(Throwable e);

        /** Whether {@code e} is a PythonException of the Python type {@code typeName} or a subclass. */
        boolean isPythonError(Throwable e, String typeName);

        /** The Python exception's message, without its type, if {@code e} is a PythonException. */
        String pythonMessage(Throwable e);
    }

    /** For {@code dev.jawait.async}: the interpreter a {@code Python} stands for. */
    public interface Pythons {
        Interpreter interpreter(Python python);
    }

    /** For the launcher. */
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
    public interface Core extends Values, Exceptions, Pythons, Builders {}

    /** Java modules, as internal code holds them ({@link JavaModule}). */
    public interface Modules {
        /**
         * The modules that {@code module} stands for: a {@code ModuleDefinition}, a
         * {@code PyModule}-annotated object or class, or a {@code ModuleProvider} or its class.
         */
        List<JavaModule> modulesOf(Object module);

        /** The modules of the {@code ModuleProvider}s that ServiceLoader finds; one that fails to load is logged and skipped. */
        List<JavaModule> discovered();

        /** A builder of a module of jawait's own native functions. */
        NativeModuleBuilder nativeModule(String name);

        /** For {@code Python.modules()}: a module as its public definition. */
        ModuleDefinition definition(JavaModule module);
    }

    /** What {@code dev.jawait.export}'s classes hold. */
    public interface Export extends Definitions, Cancellations, Modules {}

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

    public static Values values() {
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

    public static Modules modules() {
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
