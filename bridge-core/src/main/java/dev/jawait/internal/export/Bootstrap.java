package dev.jawait.internal.export;

import dev.jawait.PythonStartupException;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.AsyncNatives;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.LibC;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.PyStrings;
import dev.jawait.internal.runtime.PythonCode;
import dev.jawait.internal.runtime.RecursionBudget;
import dev.jawait.internal.runtime.SignalForwarding;
import dev.jawait.internal.runtime.StartupSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Start-up work on Python's main thread, right after Python is initialized: the {@code _jawait}
 * native module (the JavaObject type and what the import hook asks Java), then
 * {@code jawait/_bootstrap.py}, which puts jawait's finder on {@code sys.meta_path}, then signal
 * handling ({@code jawait/_signals.py}) and the builder's settings ({@code jawait/_startup.py}).
 */
public final class Bootstrap {
    private Bootstrap() {}

    private static final PyFunctionRef APPLY_SETTINGS = new PyFunctionRef("jawait._startup", "apply");
    private static final PyFunctionRef INSTALL_SIGNALS = new PyFunctionRef("jawait._signals", "install");

    public static final String NATIVE_MODULE = "_jawait";

    /**
     * jawait's Python modules compiled once and marshalled, for the interpreters made after the
     * first (compiling them again would cost an isolated interpreter's start some milliseconds);
     * {@link CompiledModuleCache} keeps them for the next run.
     */
    private static final Map<String, byte[]> COMPILED_RESOURCES = new ConcurrentHashMap<>();

    /** The {@code _jawait} module: one definition for every interpreter, whose registry it reads when called. */
    private static final JavaModule NATIVE = nativeModule();

    /**
     * Sets jawait up in {@code interpreter}, the main one or an isolated one, whose GIL the caller
     * holds: its {@code _jawait} module, the import hook serving {@code registry}'s modules, and
     * {@code settings} ({@code sys.path} entries, log forwarding; the working directory once, being
     * the process's).
     */
    public static void run(Interpreter interpreter, ModuleRegistry registry, StartupSettings settings) {
        long javaObjectType = JavaObjects.createType().typeObject();
        registry.register(NATIVE);
        registry.serve(interpreter);
        long module = registry.create(NATIVE_MODULE);
        try {
            CPython.Py_IncRef(javaObjectType);
            setAttr(module, "JavaObject", javaObjectType);
            setAttr(module, "isolated", ToPython.convert(interpreter.isIsolated()));
            for (var raw : AsyncNatives.rawFunctions().entrySet()) {
                setAttr(module, raw.getKey(), raw.getValue().newBuiltin(NATIVE_MODULE));
            }
            long sys = ToPython.checked(CPython.PyImport_ImportModule("sys"));
            try {
                long modules = ToPython.checked(CPython.PyObject_GetAttr(sys, PyStrings.intern("modules")));
                long name = ToPython.string(NATIVE_MODULE);
                int status = CPython.PyObject_SetItem(modules, name, module);
                CPython.Py_DecRef(name);
                CPython.Py_DecRef(modules);
                if (status != 0) {
                    throw PythonErrors.fetch();
                }
            } finally {
                CPython.Py_DecRef(sys);
            }
            execResource("jawait/_bootstrap.py");
            CPython.Py_DecRef(ToPython.checked(CPython.PyImport_ImportModule("jawait")));
            if (!interpreter.isIsolated()) { // signals reach the main interpreter only
                CPython.Py_DecRef(PyCalls.call(INSTALL_SIGNALS.get()));
            }
            applySettings(
                    interpreter.isIsolated() ? settings.withoutWorkingDirectory() : settings,
                    interpreter.runsProgram());
        } catch (RuntimeException e) {
            throw new PythonStartupException("jawait could not set up its Python side: " + e.getMessage(), e);
        } finally {
            CPython.Py_DecRef(module);
        }
        PythonErrors.helpersReady(interpreter);
    }

    private static void applySettings(StartupSettings settings, boolean runsProgram) {
        long[] arguments = new long[4];
        try {
            arguments[0] = ToPython.convert(
                    settings.pythonPath().stream().map(Path::toString).toList());
            arguments[1] = ToPython.convert(
                    settings.workingDirectory() == null
                            ? null
                            : settings.workingDirectory().toString());
            arguments[2] = ToPython.convert(settings.pythonLogLevel());
            arguments[3] = ToPython.convert(runsProgram);
            CPython.Py_DecRef(PyCalls.call(APPLY_SETTINGS.get(), arguments));
        } finally {
            for (long argument : arguments) {
                if (argument != 0) {
                    CPython.Py_DecRef(argument);
                }
            }
        }
    }

    private static JavaModule nativeModule() {
        NativeModuleBuilder module = Bridge.modules()
                .nativeModule(NATIVE_MODULE)
                .doc("jawait's native half: what Python-side machinery asks Java.")
                .function(
                        "resource",
                        f -> f.param("path", String.class)
                                .doc("The bytes of a resource on jawait's class path, or None.")
                                .body(args -> readResource(args.getString("path"))))
                .function(
                        "compiled",
                        f -> f.param("path", String.class)
                                .param("source", byte[].class)
                                .param("python", String.class)
                                .doc(
                                        "The marshalled code of a jawait resource module compiled from source by this Python, if kept, else None.")
                                .body(args -> compiled(
                                        args.getString("path"), (byte[]) args.get("source"), args.getString("python"))))
                .function(
                        "keep_compiled",
                        f -> f.param("path", String.class)
                                .param("source", byte[].class)
                                .param("python", String.class)
                                .param("code", byte[].class)
                                .doc(
                                        "Keeps the marshalled code of a resource module for the next interpreter that imports it, and on disk for the next run.")
                                .body(args -> {
                                    keepCompiled(
                                            args.getString("path"),
                                            (byte[]) args.get("source"),
                                            args.getString("python"),
                                            (byte[]) args.get("code"));
                                    return null;
                                }))
                .function(
                        "java_module_kind",
                        f -> f.param("name", String.class)
                                .doc("'module' or 'package' if Java defines that module, else None.")
                                .body(args -> ModuleRegistry.current().kind(args.getString("name"))))
                .function(
                        "create_java_module",
                        f -> f.param("name", String.class)
                                .doc("A new module object for a Java-defined module.")
                                .body(args -> Bridge.values()
                                        .steal(ModuleRegistry.current().create(args.getString("name")))))
                .function(
                        "log",
                        f -> f.param("logger", String.class)
                                .param("level", int.class)
                                .param("message", String.class)
                                .param("error", Bridge.values().objectClass())
                                .doc("Logs a Python log record through System.Logger (forwardLogging).")
                                .body(args -> {
                                    forwardLogRecord(args);
                                    return null;
                                }));
        module.function(
                        "jvm_fault_handlers",
                        f -> f.doc(
                                        "The JVM's handlers of the signals it relies on (SIGSEGV, SIGBUS, SIGFPE, SIGILL), saved.")
                                .body(args -> LibC.saveHandlers(SignalForwarding.JVM_FAULT_SIGNALS)))
                .function(
                        "restore_jvm_fault_handlers",
                        f -> f.param("saved", byte[].class)
                                .doc("Installs the handlers that jvm_fault_handlers() saved again.")
                                .body(args -> {
                                    LibC.restoreHandlers(
                                            (byte[]) args.get("saved"), SignalForwarding.JVM_FAULT_SIGNALS);
                                    return null;
                                }))
                .function(
                        "recursion_limit_changing",
                        f -> f.param("limit", int.class)
                                .doc(
                                        "sys.setrecursionlimit is about to set this limit: this Java thread gives back levels first.")
                                .body(args -> {
                                    RecursionBudget.limitChanging(args.getInt("limit"));
                                    return null;
                                }))
                .function(
                        "recursion_limit_changed",
                        f -> f.doc(
                                        "sys.setrecursionlimit changed the limit: Java threads keep to what their stacks hold.")
                                .body(args -> {
                                    RecursionBudget.limitChanged();
                                    return null;
                                }))
                .function(
                        "before_finalization",
                        f -> f.doc(
                                        "The program ended: no Java thread may be in Python once finalization starts (atexit).")
                                .body(args -> {
                                    args.detach(Interpreter.main()::prepareFinalization);
                                    return null;
                                }));
        SignalForwarding.addFunctions(module);
        AsyncNatives.addFunctions(module);
        return module.build();
    }

    private static byte[] compiled(String path, byte[] source, String python) {
        byte[] code = COMPILED_RESOURCES.get(path);
        if (code == null) {
            code = CompiledModuleCache.read(CompiledModuleCache.directory(), python, path, source);
            if (code != null) {
                COMPILED_RESOURCES.putIfAbsent(path, code);
            }
        }
        return code;
    }

    private static void keepCompiled(String path, byte[] source, String python, byte[] code) {
        COMPILED_RESOURCES.put(path, code); // replaces what this Python could not read back
        CompiledModuleCache.write(CompiledModuleCache.directory(), python, path, source, code);
    }

    /** One Python log record to System.Logger; the logging backend runs without the GIL. */
    private static void forwardLogRecord(NativeModuleBuilder.Args args) {
        System.Logger logger = System.getLogger(args.getString("logger"));
        System.Logger.Level level = StartupSettings.javaLogLevel(args.getInt("level"));
        String message = args.getString("message");
        long error = Bridge.values().claim(args.get("error")).addressHere("log's error");
        Throwable thrown = error == Symbols.NONE ? null : PythonErrors.fromException(error);
        args.detach(() -> {
            if (thrown == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, thrown);
            }
        });
    }

    /**
     * The resource's bytes from jawait's own module (whose resources a class loader does not hand out
     * when it runs as a named module), else from jawait's or the thread's class loader (the
     * backends' and other jars' Python), or null.
     */
    static byte[] readResource(String path) {
        // On the module path, jawait's own module first (its resources are not open to class loaders);
        // on the class path the module is unnamed and asking it would ask the class loader twice.
        Module jawait = Bootstrap.class.getModule();
        List<ClassLoader> loaders = new ArrayList<>(2);
        loaders.add(Bootstrap.class.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != loaders.get(0)) {
            loaders.add(context);
        }
        try {
            if (jawait.isNamed()) {
                byte[] own = readAll(jawait.getResourceAsStream(path));
                if (own != null) {
                    return own;
                }
            }
            for (ClassLoader loader : loaders) {
                byte[] found = readAll(loader.getResourceAsStream(path));
                if (found != null) {
                    return found;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + path, e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return null;
        }
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void execResource(String path) {
        byte[] source = readResource(path);
        if (source == null) {
            throw new IllegalStateException(path + " is missing from jawait's class path");
        }
        long globals = ToPython.checked(CPython.PyDict_New());
        try {
            if (CPython.PyDict_SetItemString(globals, "__builtins__", CPython.PyEval_GetBuiltins()) != 0) {
                throw PythonErrors.fetch();
            }
            CPython.Py_DecRef(PythonCode.run(new String(source, StandardCharsets.UTF_8), path, false, globals));
        } finally {
            CPython.Py_DecRef(globals);
        }
    }

    private static void setAttr(long object, String name, long value) {
        int status = CPython.PyObject_SetAttr(object, PyStrings.intern(name), value);
        CPython.Py_DecRef(value);
        if (status != 0) {
            throw PythonErrors.fetch();
        }
    }
}
