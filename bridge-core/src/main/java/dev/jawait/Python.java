package dev.jawait;

import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.ModuleProvider;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.export.Bootstrap;
import dev.jawait.internal.export.ModuleRegistry;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.PythonInstallation;
import dev.jawait.internal.runtime.PythonLocator;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

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
 * 3.13, built with a shared libpython, are supported; signals stay with the JVM.
 *
 * <p>Every call into Python needs the GIL: {@link #attach} takes it for the calling thread (the
 * thread keeps its Python thread state between calls, so attaching again is cheap) and releases it
 * afterwards. Inside, {@link Py#detach} releases it temporarily.
 */
public final class Python implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Python.class.getName());
    private static final Object START_LOCK = new Object();
    private static volatile Python running;

    private final Interpreter interpreter;
    private final ModuleRegistry modules;

    private Python(Interpreter interpreter, ModuleRegistry modules) {
        this.interpreter = interpreter;
        this.modules = modules;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The running interpreter, started with default settings if there is none yet. */
    public static Python get() {
        Python python = running;
        if (python != null) {
            return python;
        }
        synchronized (START_LOCK) {
            return running != null ? running : builder().start();
        }
    }

    /** The running interpreter, if one was started and not closed. */
    public static Optional<Python> current() {
        Python python = running;
        return python != null && python.isRunning() ? Optional.of(python) : Optional.empty();
    }

    static Python running() {
        Python python = running;
        if (python == null) {
            throw new IllegalStateException("Python is not running");
        }
        return python;
    }

    /**
     * Runs {@code body} with the GIL held and returns its result. Re-entrant: inside another
     * attach, or in Java code called from Python, it runs at once with the same token.
     *
     * @throws IllegalStateException if Python is shutting down or closed
     */
    public <T> T attach(GilFunction<T> body) {
        ThreadAttachment attachment = ThreadAttachment.current();
        if (!interpreter.tryEnter(attachment)) {
            throw new IllegalStateException("cannot attach: Python is " + describeState());
        }
        return runEntered(attachment, body);
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
        if (!interpreter.tryEnter(attachment)) {
            return Optional.empty();
        }
        return Optional.ofNullable(runEntered(attachment, body));
    }

    private <T> T runEntered(ThreadAttachment attachment, GilFunction<T> body) {
        Py token = (Py) attachment.token();
        boolean opened = token == null;
        if (opened) {
            token = Bridge.tokens().open(attachment);
            attachment.setToken(token);
        }
        try {
            return body.apply(token);
        } finally {
            if (opened) {
                Bridge.tokens().close(token);
                attachment.setToken(null);
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
        for (ModuleDefinition definition : definitionsOf(module)) {
            modules.register(definition);
        }
    }

    private static List<ModuleDefinition> definitionsOf(Object module) {
        if (module instanceof ModuleProvider provider) {
            return provider.modules();
        }
        if (module instanceof Class<?> type && ModuleProvider.class.isAssignableFrom(type)
                && !type.isAnnotationPresent(dev.jawait.export.PyModule.class)) {
            try {
                return ((ModuleProvider) type.getConstructor().newInstance()).modules();
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor", e);
            }
        }
        return List.of(ModuleDefinition.of(module));
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

    private String describeState() {
        return interpreter.state() == Interpreter.State.CLOSING ? "shutting down" : "closed";
    }

    /**
     * Shuts Python down: new attaches are refused, jawait's loop threads stop, running work is
     * waited for, then Python finalizes (atexit handlers run, non-daemon Python threads are joined).
     * Python cannot be started again in this JVM. Does nothing if already closed.
     *
     * @throws IllegalStateException if called by a thread attached to Python
     */
    @Override
    public void close() {
        interpreter.close();
    }

    /** Settings for {@link #start()}. */
    public static final class Builder {
        private String executable;
        private boolean discoverModules = true;
        private final List<Object> modules = new ArrayList<>();

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
         * Finds, loads and starts Python.
         *
         * @throws PythonStartupException if no usable Python is found, or Python was already started in this JVM
         */
        public Python start() {
            synchronized (START_LOCK) {
                Path chosen = PythonLocator.chooseExecutable(executable);
                PythonInstallation installation = PythonLocator.inspect(chosen);
                ModuleRegistry registry = new ModuleRegistry();
                List<ModuleDefinition> definitions = new ArrayList<>();
                for (Object module : modules) {
                    definitions.addAll(definitionsOf(module));
                }
                if (discoverModules) {
                    definitions.addAll(discovered());
                }
                for (ModuleDefinition definition : definitions) {
                    registry.register(definition);
                }
                Interpreter interpreter = Interpreter.start(installation, started -> Bootstrap.run(registry));
                Python python = new Python(interpreter, registry);
                running = python;
                return python;
            }
        }

        private static List<ModuleDefinition> discovered() {
            List<ModuleDefinition> found = new ArrayList<>();
            Iterator<ModuleProvider> providers = ServiceLoader.load(ModuleProvider.class).iterator();
            while (true) {
                try {
                    if (!providers.hasNext()) {
                        break;
                    }
                    found.addAll(definitionsOf(providers.next()));
                } catch (ServiceConfigurationError e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping a Java module provider that failed to load", e);
                }
            }
            return found;
        }
    }
}
