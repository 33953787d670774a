package dev.jawait.internal.export;

import dev.jawait.async.AsyncBackend;
import dev.jawait.export.FunctionDefinition;
import dev.jawait.internal.async.Backends;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.PythonTypes;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.InterpreterLocal;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.PyStrings;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Java-defined modules by import name. A module object is built when Python imports it (through
 * jawait's finder on {@code sys.meta_path}), so a module can be re-imported after being removed
 * from {@code sys.modules}. Parents of dotted names ({@code shop} for {@code shop.inventory}) are
 * provided as empty packages.
 */
public final class ModuleRegistry {
    private static final PyFunctionRef ASYNC_FUNCTION = new PyFunctionRef("jawait._async", "async_function");
    private static final PyFunctionRef STREAM_FUNCTION = new PyFunctionRef("jawait._async", "stream_function");
    /** The registry each interpreter imports Java modules from. */
    private static final InterpreterLocal<ModuleRegistry[]> OF_INTERPRETER =
            new InterpreterLocal<>(() -> new ModuleRegistry[1]);
    /**
     * Functions made callable from Python, by definition: the same builtins serve every
     * interpreter (each makes its own function objects from them).
     */
    private static final Map<FunctionDefinition, Compiled> COMPILED = new IdentityHashMap<>(); // guarded by itself

    private final Map<String, JavaModule> modules = new ConcurrentHashMap<>();

    /** A registry starting with the modules this one has: for an isolated interpreter made from this one's. */
    public ModuleRegistry copy() {
        ModuleRegistry copy = new ModuleRegistry();
        copy.modules.putAll(modules);
        return copy;
    }

    /** Makes this the registry that {@code interpreter} imports from; the caller holds its GIL. */
    public void serve(Interpreter interpreter) {
        OF_INTERPRETER.get(interpreter)[0] = this;
    }

    /** The registry of the interpreter whose GIL the caller holds. */
    public static ModuleRegistry current() {
        return OF_INTERPRETER.get()[0];
    }

    public void register(JavaModule module) {
        JavaModule previous = modules.putIfAbsent(module.name(), module);
        if (previous != null && !previous.equals(module)) { // the same definition registered again is no conflict
            throw new IllegalStateException("a Java module named '" + module.name() + "' is already registered");
        }
    }

    /** Every registered module, by name. */
    public List<JavaModule> modules() {
        return modules.values().stream()
                .sorted(Comparator.comparing(JavaModule::name))
                .toList();
    }

    /** "module", "package" (an implicit parent of registered modules), or null. */
    public String kind(String name) {
        if (modules.containsKey(name)) {
            return "module";
        }
        String prefix = name + ".";
        for (String registered : modules.keySet()) {
            if (registered.startsWith(prefix)) {
                return "package";
            }
        }
        return null;
    }

    /** A new module object for {@code name}; the caller holds the GIL. */
    public long create(String name) {
        JavaModule definition = modules.get(name);
        long module = ToPython.checked(CPython.PyModule_New(name));
        try {
            if (definition == null) {
                setAttr(module, "__path__", ToPython.checked(CPython.PyList_New(0)));
                return module;
            }
            if (!definition.doc().isEmpty()) {
                setAttr(module, "__doc__", ToPython.string(definition.doc()));
            }
            for (FunctionDefinition function : definition.functions()) {
                Compiled compiled = compile(name, function);
                long builtin = compiled.bind().newBuiltin(name);
                setAttr(
                        module,
                        function.name(),
                        function.kind() == FunctionDefinition.Kind.SYNC
                                ? builtin
                                : asyncFunction(name, function, builtin, compiled));
            }
            return module;
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(module);
            throw e;
        }
    }

    /**
     * A function's builtins, made once per function: {@code bind} (a sync function's whole call; an
     * async or stream function's binding) and, for async and stream functions, {@code startNow}.
     */
    private record Compiled(NativeFunction bind, NativeFunction startNow, List<String> fastChecks) {}

    private static Compiled compile(String moduleName, FunctionDefinition function) {
        synchronized (COMPILED) { // interpreters with GILs of their own import at the same time
            Compiled existing = COMPILED.get(function);
            if (existing != null) {
                return existing;
            }
        }
        // Made outside the lock: it may run Python (a default's literal), which may hand this GIL to a
        // thread that then waits for the lock. Of two made at once, the first kept serves both.
        Compiled created = compileNew(moduleName, function);
        synchronized (COMPILED) {
            Compiled first = COMPILED.putIfAbsent(function, created);
            return first != null ? first : created;
        }
    }

    private static Compiled compileNew(String moduleName, FunctionDefinition function) {
        ExportedFunction exported = new ExportedFunction(moduleName, function);
        String signature = exported.signature().textSignature();
        String doc = signature == null ? function.doc() : function.name() + signature + "\n--\n\n" + function.doc();
        Compiled created = new Compiled(
                NativeFunction.create(function.name(), doc, exported),
                function.kind() == FunctionDefinition.Kind.SYNC
                        ? null
                        : NativeFunction.create(function.name(), null, exported.startingNow()),
                exported.signature().fastChecks());
        return created;
    }

    /**
     * The coroutine function (async functions) or async generator function (stream functions)
     * around its bind builtin (whose reference it takes over) and its startNow builtin, with the checks
     * that let a call skip binding until it starts, and the function's type annotations.
     */
    private static long asyncFunction(String moduleName, FunctionDefinition function, long start, Compiled compiled) {
        long moduleText = 0;
        long backendModule = 0;
        long annotations = 0;
        long startNow = 0;
        long fastChecks = 0;
        try {
            startNow = compiled.startNow().newBuiltin(moduleName);
            fastChecks = ToPython.convert(compiled.fastChecks());
            AsyncBackend backend =
                    Backends.require(function.backend().isEmpty() ? Backends.defaultName() : function.backend());
            Backends.requirePythonPackages(backend);
            moduleText = ToPython.string(moduleName);
            backendModule = ToPython.string(backend.pythonModule());
            annotations = ToPython.convert(PythonTypes.annotations(function));
            PyFunctionRef factory =
                    function.kind() == FunctionDefinition.Kind.STREAM ? STREAM_FUNCTION : ASYNC_FUNCTION;
            return PyCalls.call(factory.get(), start, startNow, fastChecks, moduleText, backendModule, annotations);
        } finally {
            CPython.Py_DecRef(start);
            for (long o : new long[] {moduleText, backendModule, annotations, startNow, fastChecks}) {
                if (o != 0) {
                    CPython.Py_DecRef(o);
                }
            }
        }
    }

    /** Sets an attribute, taking over {@code value}'s reference. */
    private static void setAttr(long object, String name, long value) {
        int status = CPython.PyObject_SetAttr(object, PyStrings.intern(name), value);
        CPython.Py_DecRef(value);
        if (status != 0) {
            throw PythonErrors.fetch();
        }
    }
}
