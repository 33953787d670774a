package dev.jawait;

import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.ModuleProvider;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.export.Bootstrap;
import dev.jawait.internal.export.JavaModule;
import dev.jawait.internal.export.ModuleRegistry;
import dev.jawait.internal.export.Startup;
import dev.jawait.internal.runtime.AttachScope;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.InterpreterLocal;
import dev.jawait.internal.runtime.StartupSettings;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The CPython interpreter embedded in this JVM: one per JVM, usable from any Java thread.
 *
 * <pre>{@code
 * try (Python python = Python.builder().executable(".venv/bin/python").start()) {
 *     python.register(new Inventory());              // import inventory, from Python
 *     long n = python.attach(py -> py.eval("sum(range(10))").asLong());
 * }
 * }</pre>
 *
 * <p>The Python to embed is the builder's {@link Builder#executable}, else the {@code jawait.python}
 * system property, else the {@code JAWAIT_PYTHON} environment variable, else {@code python3} on
 * {@code PATH}. A venv's {@code python} works, and its site-packages are importable. CPython 3.9 to
 * 3.13, built with a shared libpython, are supported. Signals stay with the JVM unless
 * {@link Builder#pythonHandlesSignals} says otherwise; {@link Builder#runMain} runs a Python program
 * as the python command does, signals included.
 *
 * <p>Every call into Python needs the GIL: {@link #attach} takes it for the calling thread (the
 * thread keeps its Python thread state between calls, so attaching again is cheap) and releases it
 * afterwards. Inside, {@link Py#detach} releases it temporarily.
 */
public final class Python implements AutoCloseable {
    private static final Object START_LOCK = new Object();
    private static volatile Python running;

    /** Each interpreter's {@code Python}, set as it starts. */
    private static final InterpreterLocal<Python> FACADES = new InterpreterLocal<>();

    final Interpreter interpreter;
    private final ModuleRegistry modules;
    /** The settings it started with, which its isolated interpreters take too. */
    private final StartupSettings settings;

    private Python(Interpreter interpreter, ModuleRegistry modules, StartupSettings settings) {
        this.interpreter = interpreter;
        this.modules = modules;
        this.settings = settings;
        FACADES.set(interpreter, this);
    }

    /** The {@code Python} standing for {@code interpreter}. */
    static Python of(Interpreter interpreter) {
        return FACADES.get(interpreter);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The main interpreter, started with default settings if there is none yet. */
    public static Python get() {
        Python python = running;
        if (python != null) {
            return python;
        }
        synchronized (START_LOCK) {
            return running != null ? running : builder().start();
        }
    }

    /** The main interpreter, if one was started and not closed. */
    public static Optional<Python> current() {
        Python python = running;
        return python != null && python.isRunning() ? Optional.of(python) : Optional.empty();
    }

    /**
     * Runs {@code body} with the GIL held and returns its result. Re-entrant: inside another
     * attach, or in Java code called from Python, it runs at once with the same token.
     *
     * @throws IllegalStateException if Python is shutting down or closed
     */
    public <T> T attach(GilFunction<T> body) {
        ThreadAttachment attachment = ThreadAttachment.current();
        if (attachment.needsPinning()) {
            return attachment.pinnedScope(() -> attach(body));
        }
        if (inOtherInterpreter(attachment)) {
            return leavingOtherInterpreter(attachment, () -> attach(body));
        }
        if (!interpreter.tryEnter(attachment)) {
            throw new IllegalStateException("cannot attach: "
                    + (interpreter.isIsolated() ? "the isolated interpreter " + interpreter.name() : "Python") + " is "
                    + describeState());
        }
        return runEntered(attachment, body);
    }

    /** Whether the thread holds the GIL of an interpreter other than this one. */
    private boolean inOtherInterpreter(ThreadAttachment attachment) {
        return attachment.holdsGil() && attachment.interpreter() != interpreter;
    }

    /** Runs {@code body} having left the interpreter the thread is in, and comes back to it after. */
    private static <T> T leavingOtherInterpreter(ThreadAttachment attachment, Supplier<T> body) {
        AttachScope outerScope = attachment.scope();
        ThreadAttachment.Suspended other = attachment.detach();
        attachment.setScope(null);
        try {
            return body.get();
        } finally {
            attachment.setScope(outerScope);
            attachment.reattach(other);
        }
    }

    /**
     * Like {@link #attach}, but runs {@code body} on Python's main thread (the one that started it,
     * which {@code threading.main_thread()} names) and waits for it. The {@code jawait} command runs
     * programs this way.
     */
    public <T> T attachOnMainThread(GilFunction<T> body) {
        return interpreter.onMainThread(() -> attach(body));
    }

    /** {@link #attach} for work without a result. */
    public void run(GilAction body) {
        attach(py -> {
            body.run(py);
            return null;
        });
    }

    /**
     * Like {@link #attach}, but returns empty instead of throwing when Python is shutting down or
     * closed (for work that may race with {@link #close}, such as callbacks from other libraries).
     */
    public <T> Optional<T> tryAttach(GilFunction<T> body) {
        ThreadAttachment attachment = ThreadAttachment.current();
        if (attachment.needsPinning()) {
            return attachment.pinnedScope(() -> tryAttach(body));
        }
        if (inOtherInterpreter(attachment)) {
            return leavingOtherInterpreter(attachment, () -> tryAttach(body));
        }
        if (!interpreter.tryEnter(attachment)) {
            return Optional.empty();
        }
        return Optional.ofNullable(runEntered(attachment, body));
    }

    private <T> T runEntered(ThreadAttachment attachment, GilFunction<T> body) {
        AttachScope outer = attachment.scope(); // another interpreter's, when attached inside a detach of it
        AttachScope scope = AttachScope.current(attachment);
        boolean opened = scope == null;
        Py token;
        if (opened) {
            scope = new AttachScope(attachment);
            token = new Py(scope);
            scope.setToken(token);
            attachment.setScope(scope);
        } else {
            token = (Py) scope.token();
        }
        try {
            return body.apply(token);
        } finally {
            if (opened) {
                scope.close();
                attachment.setScope(outer);
            }
            interpreter.exit(attachment);
        }
    }

    /**
     * Makes a Java-defined module importable: a {@link ModuleDefinition}, a {@link dev.jawait.export.PyModule}-annotated
     * object or class, or a {@link ModuleProvider}.
     *
     * @throws IllegalStateException if another module with the same name is registered
     */
    public void register(Object module) {
        for (JavaModule found : Bridge.modules().modulesOf(module)) {
            modules.register(found);
        }
    }

    /**
     * The Java-defined modules that Python can import here, by name: those registered and those
     * found by ServiceLoader. For {@link dev.jawait.export.PythonStubs}, say.
     */
    public List<ModuleDefinition> modules() {
        return modules.modules().stream()
                .filter(m -> !m.name().equals(Bootstrap.NATIVE_MODULE))
                .map(Bridge.modules()::definition)
                .toList();
    }

    /** The Python version, such as "3.11.7". */
    public String version() {
        return interpreter.installation().version();
    }

    /** The Python executable this interpreter was configured from. */
    public Path executable() {
        return interpreter.installation().executable();
    }

    /** The shared library loaded into this JVM. */
    public Path libpython() {
        return interpreter.installation().libpython();
    }

    public boolean isRunning() {
        return interpreter.state() == Interpreter.State.RUNNING;
    }

    /**
     * A new isolated interpreter (CPython 3.12+, PEP 684): a {@code Python} of its own, with its own
     * GIL, so that Python code in it runs in parallel with the main interpreter and with other
     * isolated ones. It starts with the Java modules registered here (register more on it), and the
     * same settings; it shares no Python object with any other interpreter: values cross between
     * interpreters only as Java values. Close it when done; closing the main interpreter closes it too.
     *
     * <pre>{@code
     * try (Python worker = python.newIsolatedInterpreter();
     *      EventLoop loop = EventLoop.start(worker, "asyncio")) {
     *     CompletableFuture<Object> parsed = loop.submit("app.parse", body);   // runs beside the main GIL
     * }
     * }</pre>
     *
     * Extension modules that do not support several interpreters (single-phase init ones, such as
     * uvloop's) cannot be imported in it; the main interpreter can run them.
     *
     * On CPython 3.12.0-3.12.3, whose isolated interpreters crash the process at exit under pymalloc
     * (CPython gh-119213), jawait starts Python with the C allocator ({@code PYTHONMALLOC=malloc})
     * unless {@code PYTHONMALLOC} is set.
     *
     * @throws UnsupportedOperationException before CPython 3.12, and on 3.12.0-3.12.3 if {@code PYTHONMALLOC}
     *     chose pymalloc
     * @throws IllegalStateException if called on an isolated interpreter, or if Python is closing
     */
    public Python newIsolatedInterpreter() {
        ModuleRegistry registry = modules.copy();
        Interpreter isolated = interpreter.newIsolated(started -> Bootstrap.run(started, registry, settings));
        return new Python(isolated, registry, settings);
    }

    /** Whether this is an isolated interpreter (see {@link #newIsolatedInterpreter}) rather than the main one. */
    public boolean isIsolated() {
        return interpreter.isIsolated();
    }

    /** "main", or the isolated interpreter's name ("isolated-1"), for logs and messages. */
    public String name() {
        return interpreter.name();
    }

    private String describeState() {
        return interpreter.state() == Interpreter.State.CLOSING ? "shutting down" : "closed";
    }

    /**
     * Shuts Python down: new attaches are refused, jawait's loop threads stop, running work is
     * waited for, isolated interpreters end, then Python finalizes (atexit handlers run, non-daemon
     * Python threads are joined). Python cannot be started again in this JVM. Does nothing if already
     * closed, or while Python runs a program ({@link Builder#runMain}), which shuts Python down when
     * it ends. For an isolated interpreter, ends that interpreter the same way; the main one runs on.
     *
     * <p>Called from inside a scope of another interpreter (or from a callback that jawait runs with
     * the GIL released), the close finishes on a thread of its own once that scope has ended, and
     * this returns at once.
     *
     * @throws IllegalStateException if called by a thread attached to this interpreter
     */
    @Override
    public void close() {
        interpreter.close();
    }

    /**
     * Settings for {@link #start()}. Each setter checks its value at once and refuses a bad one with
     * an {@link IllegalArgumentException} that names the setting, the value and the fix.
     *
     * <pre>{@code
     * Python python = Python.builder()
     *         .executable(".venv/bin/python")                  // default: jawait.python, JAWAIT_PYTHON, python3
     *         .pythonPath("src/main/python")                   // default: none added
     *         .environment("PYTHONDONTWRITEBYTECODE", "1")     // default: the JVM's environment as it is
     *         .workingDirectory(Path.of("work"))               // default: the JVM's
     *         .forwardLogging(System.Logger.Level.INFO)        // default: Python's logging stays in Python
     *         .pythonHandlesSignals(true)                      // default: signals stay with the JVM
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        private String executable;
        /** How start-up errors name {@link #executable}. */
        String executableSetting = "Python.builder().executable(...)";

        private boolean discoverModules = true;
        private final List<Object> modules = new ArrayList<>();
        private final List<Path> pythonPath = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private System.Logger.Level forwardedLogLevel;
        private boolean pythonHandlesSignals;

        private Builder() {}

        /** The Python executable (a venv's {@code bin/python} works); overrides property and environment. */
        public Builder executable(String executable) {
            this.executable = executable;
            return this;
        }

        public Builder executable(Path executable) {
            return executable(executable.toString());
        }

        /** A module to register at start-up (see {@link Python#register}). */
        public Builder module(Object module) {
            modules.add(module);
            return this;
        }

        /** Whether to register the modules of every {@link ModuleProvider} found by ServiceLoader (default true). */
        public Builder discoverModules(boolean discover) {
            this.discoverModules = discover;
            return this;
        }

        /**
         * Puts directories (or zip archives) in front of {@code sys.path}, in the order given, as
         * {@code PYTHONPATH} would: their modules import before the standard library's and
         * site-packages'. Relative paths are made absolute against the JVM's working directory now.
         * Repeatable; by default nothing is added.
         *
         * @throws IllegalArgumentException for a path that does not exist, a colon-separated list, or a
         *                                  file that is not a zip archive (such as a script)
         */
        public Builder pythonPath(Path... entries) {
            for (Path entry : entries) {
                pythonPath.add(checkedPythonPathEntry(
                        Objects.requireNonNull(entry, "Python.builder().pythonPath(...): an entry is null")));
            }
            return this;
        }

        /** {@link #pythonPath(Path...)} with paths given as text. */
        public Builder pythonPath(String... entries) {
            for (String entry : entries) {
                Objects.requireNonNull(entry, "Python.builder().pythonPath(...): an entry is null");
                if (entry.isBlank()) {
                    throw new IllegalArgumentException("Python.builder().pythonPath(\"" + entry + "\"): the entry is "
                            + "blank; give a directory, such as pythonPath(\"src/main/python\")");
                }
                if (entry.contains(File.pathSeparator) && !Files.exists(Path.of(entry))) {
                    throw new IllegalArgumentException("Python.builder().pythonPath(\"" + entry + "\") looks like a "
                            + "list of paths; pass each one separately: pythonPath(\""
                            + String.join("\", \"", entry.split(File.pathSeparator)) + "\")");
                }
                pythonPath(Path.of(entry));
            }
            return this;
        }

        private static Path checkedPythonPathEntry(Path entry) {
            Path absolute = entry.toAbsolutePath().normalize();
            if (!Files.exists(absolute)) {
                throw new IllegalArgumentException("Python.builder().pythonPath(" + entry + "): " + absolute
                        + " does not exist; give an existing directory (relative paths start from the JVM's "
                        + "working directory, " + Path.of("").toAbsolutePath() + ")");
            }
            String name = absolute.getFileName() == null
                    ? ""
                    : absolute.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!Files.isDirectory(absolute)
                    && !(name.endsWith(".zip")
                            || name.endsWith(".whl")
                            || name.endsWith(".egg")
                            || name.endsWith(".pyz"))) {
                throw new IllegalArgumentException("Python.builder().pythonPath(" + entry + "): " + absolute
                        + " is a file, and sys.path takes directories (or zip archives); give the directory that "
                        + "contains it: pythonPath(\"" + absolute.getParent() + "\")");
            }
            return absolute;
        }

        /**
         * Sets an environment variable for the interpreter before it starts, so that Python's own
         * settings ({@code PYTHONDONTWRITEBYTECODE}, {@code PYTHONWARNINGS}, {@code PYTHONUTF8}, ...)
         * apply, and {@code os.environ} and subprocesses that Python starts see it. There is one
         * environment per process: native code in the JVM sees the change too, but Java's
         * {@code System.getenv()} and {@code ProcessBuilder} keep the JVM's copy from its own start.
         * By default the interpreter gets the JVM's environment unchanged.
         *
         * @throws IllegalArgumentException for a name that is empty or holds '=' or NUL, a value that
         *                                  holds NUL, or PYTHONHOME (jawait sets Python's home from the
         *                                  executable; choose the Python with {@link #executable} instead)
         */
        public Builder environment(String name, String value) {
            Objects.requireNonNull(name, "Python.builder().environment(name, value): the name is null");
            Objects.requireNonNull(
                    value,
                    "Python.builder().environment(\"" + name + "\", value): the value is null; "
                            + "give a string (\"\" for an empty variable)");
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        "Python.builder().environment(\"" + name + "\", ...): not a valid "
                                + "environment variable name; give a non-empty name without '=' or NUL, such as \"PYTHONUTF8\"");
            }
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("Python.builder().environment(\"" + name + "\", ...): the value "
                        + "holds a NUL character, which environment variables cannot hold; remove it");
            }
            if (name.equals("PYTHONHOME")) {
                throw new IllegalArgumentException("Python.builder().environment(\"PYTHONHOME\", \"" + value + "\"): "
                        + "jawait sets Python's home from the Python executable it embeds, so this would not apply; "
                        + "choose that Python with executable(\"" + value + "/bin/python3\") instead");
            }
            environment.put(name, value);
            return this;
        }

        /** {@link #environment(String, String)} for each entry. */
        public Builder environment(Map<String, String> variables) {
            variables.forEach(this::environment);
            return this;
        }

        /**
         * The working directory that Python code sees ({@code os.getcwd()}, relative paths in
         * {@code open()}, {@code python -m}'s {@code sys.path} entry). The working directory belongs
         * to the process: native code in the JVM that opens relative paths sees it too, while Java's
         * {@code user.dir} stays as it was. By default it is the JVM's.
         *
         * @throws IllegalArgumentException if {@code directory} is not an existing directory
         */
        public Builder workingDirectory(Path directory) {
            Objects.requireNonNull(directory, "Python.builder().workingDirectory(directory): the directory is null");
            Path absolute = directory.toAbsolutePath().normalize();
            if (!Files.isDirectory(absolute)) {
                throw new IllegalArgumentException("Python.builder().workingDirectory(" + directory + "): " + absolute
                        + (Files.exists(absolute) ? " is not a directory" : " does not exist")
                        + "; give an existing directory (create it first if Python should write there)");
            }
            this.workingDirectory = absolute;
            return this;
        }

        /**
         * Sends the records of Python's {@code logging} at {@code level} and above to the JVM's
         * logging, through {@link System.Logger}: with the Python logger's name, the level, the
         * formatted message and the exception (a {@link PythonException}, or the Java exception that a
         * {@code jawait.JavaError} carries). SLF4J, Logback, Log4j or java.util.logging receive them
         * through their usual {@code System.Logger} bridges. Python's root logger gets
         * {@code level} (Python's own default is WARNING); loggers with a level of their own keep it.
         * Python levels map to DEBUG (10), INFO (20), WARNING (30), ERROR (40 and CRITICAL), and TRACE
         * below DEBUG. By default Python's logging stays in Python (records of WARNING and above go to
         * its stderr).
         *
         * @throws IllegalArgumentException for {@link System.Logger.Level#OFF}, which would forward nothing
         */
        public Builder forwardLogging(System.Logger.Level level) {
            Objects.requireNonNull(
                    level,
                    "Python.builder().forwardLogging(level): the level is null; "
                            + "give one such as System.Logger.Level.INFO");
            if (level == System.Logger.Level.OFF) {
                throw new IllegalArgumentException(
                        "Python.builder().forwardLogging(OFF) would forward nothing; to "
                                + "keep Python's logging in Python, do not call forwardLogging, else give a level such as INFO");
            }
            this.forwardedLogLevel = level;
            return this;
        }

        /**
         * Gives Python the signals as the python command has them, for programs that run on Python's
         * main thread ({@link Python#attachOnMainThread}): Ctrl-C (SIGINT) raises
         * {@code KeyboardInterrupt} there, so {@code asyncio.run} cancels its main task and trio its
         * run, and handlers that Python code installs with {@code signal.signal} (or
         * {@code loop.add_signal_handler}) run there too, interrupting a blocking call such as
         * {@code time.sleep}. A signal that arrives while no Python code runs on that thread is handled
         * when some next does. SIGTERM and SIGHUP stay with the JVM (its shutdown hooks) unless Python
         * code installs a handler for them.
         *
         * <p>By default ({@code false}) signals stay with the JVM: Ctrl-C runs the JVM's shutdown
         * hooks and exits with status 130, and Python sees no SIGINT handler
         * ({@code signal.getsignal(SIGINT)} is SIG_DFL); Python code on the main thread may still
         * install handlers, delivered as above. Either way the JVM keeps SIGSEGV, SIGBUS, SIGFPE and
         * SIGILL, which Python code cannot take.
         */
        public Builder pythonHandlesSignals(boolean handles) {
            this.pythonHandlesSignals = handles;
            return this;
        }

        /**
         * Finds, loads and starts Python.
         *
         * @throws PythonStartupException if no usable Python is found, or Python was already started in this JVM
         */
        public Python start() {
            synchronized (START_LOCK) {
                Startup startup = prepare();
                Interpreter interpreter = startup.start();
                Python python = new Python(interpreter, startup.registry(), startup.settings());
                running = python;
                return python;
            }
        }

        /**
         * Runs a Python program as the {@code python} command does, with this builder's settings and
         * Java modules, and returns its exit status. {@code commandLine} is what a C program's
         * {@code main} receives: the command's name ({@code sys.orig_argv[0]}), then what follows
         * {@code python} on a command line: Python's options ({@code -u}, {@code -X dev},
         * {@code -W error}, {@code -i}, ...), then {@code -c CODE}, {@code -m MODULE}, a script or
         * {@code -} (standard input) and the program's arguments; with none of those, the interactive
         * interpreter. CPython parses it (so {@code -h} lists the options), and runs the program on
         * Python's main thread while the calling thread waits. Python handles signals as the python
         * command does (see {@link #pythonHandlesSignals}; SIGTERM and SIGHUP end the process, without
         * the JVM's shutdown hooks).
         *
         * <p>When the program ends, Python shuts down as {@link Python#close} does (atexit handlers
         * run, then Java work in Python is waited for). The status is the program's
         * ({@code sys.exit}), 1 after an uncaught exception (its traceback printed), 2 for a bad option;
         * an uncaught {@code KeyboardInterrupt} ends the process by SIGINT, as in the python command
         * (status 130 in a shell).
         *
         * <pre>{@code
         * public static void main(String[] args) {
         *     List<String> commandLine = new ArrayList<>(List.of("tools", "-m", "tools.cli"));
         *     commandLine.addAll(List.of(args));
         *     System.exit(Python.builder().module(new Tools()).runMain(commandLine));
         * }
         * }</pre>
         *
         * @throws IllegalArgumentException if {@code commandLine} is empty
         * @throws PythonStartupException if no usable Python is found, Python cannot start, or Python
         *                                was already started in this JVM
         */
        public int runMain(List<String> commandLine) {
            if (commandLine.isEmpty()) {
                throw new IllegalArgumentException("Python.builder().runMain([]): the command line is empty; give "
                        + "at least the command's name, such as runMain(List.of(\"tools\", \"-m\", \"tools.cli\"))");
            }
            Startup startup;
            synchronized (START_LOCK) {
                startup = prepare();
            }
            return startup.runMain(
                    commandLine, started -> running = new Python(started, startup.registry(), startup.settings()));
        }

        private Startup prepare() {
            StartupSettings settings = new StartupSettings(
                    List.copyOf(pythonPath),
                    Map.copyOf(environment),
                    workingDirectory,
                    forwardedLogLevel,
                    pythonHandlesSignals);
            return Startup.prepare(executableSetting, executable, modules, discoverModules, settings);
        }
    }
}
