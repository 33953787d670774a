package dev.jawait.internal.export;

import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyModule;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.PythonInstallation;
import dev.jawait.internal.runtime.PythonLocator;
import dev.jawait.internal.runtime.StartupSettings;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Start-up as {@code Python.Builder} orders it: the Python found, the Java modules registered (those
 * given and those that ServiceLoader finds), the settings; then the interpreter started and
 * jawait's Python side installed in it, or a program run on it.
 *
 * @param installation the Python found
 * @param registry the Java modules it starts with
 * @param settings what the builder set
 */
public record Startup(PythonInstallation installation, ModuleRegistry registry, StartupSettings settings) {
    /**
     * Finds Python and gathers the Java modules.
     *
     * @param executableSetting how errors name the executable setting
     * @param executable the builder's executable, or null for the property, environment and PATH
     */
    public static Startup prepare(
            String executableSetting,
            String executable,
            List<Object> modules,
            boolean discoverModules,
            StartupSettings settings) {
        PythonLocator locator = new PythonLocator(executableSetting);
        Path chosen = locator.chooseExecutable(executable);
        PythonInstallation installation = locator.inspect(chosen);
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
        return new Startup(installation, registry, settings);
    }

    /** Starts the main interpreter and installs jawait's Python side in it. */
    public Interpreter start() {
        return Interpreter.start(installation, settings, started -> Bootstrap.run(started, registry, settings));
    }

    /**
     * Runs a program on a main interpreter started for it (see {@code Python.Builder.runMain});
     * {@code onStarted} sees the interpreter once jawait's Python side is installed.
     */
    public int runMain(List<String> commandLine, Consumer<Interpreter> onStarted) {
        return Interpreter.runMain(installation, settings, List.copyOf(commandLine), started -> {
            Bootstrap.run(started, registry, settings);
            onStarted.accept(started);
        });
    }

    /**
     * The modules that {@code module} stands for: a {@link ModuleDefinition}, a {@link PyModule}-annotated
     * object or class, or a {@link ModuleProvider} or its class.
     */
    public static List<ModuleDefinition> definitionsOf(Object module) {
        if (module instanceof ModuleProvider provider) {
            return provider.modules();
        }
        if (module instanceof Class<?> type
                && ModuleProvider.class.isAssignableFrom(type)
                && !type.isAnnotationPresent(PyModule.class)) {
            try {
                return ((ModuleProvider) type.getConstructor().newInstance()).modules();
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor", e);
            }
        }
        return List.of(ModuleDefinition.of(module));
    }

    private static List<ModuleDefinition> discovered() {
        List<ModuleDefinition> found = new ArrayList<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = ServiceFileIndex.loaderFor(
                "META-INF/services/" + ModuleProvider.class.getName(),
                context != null ? context : ClassLoader.getSystemClassLoader());
        Iterator<ModuleProvider> providers =
                ServiceLoader.load(ModuleProvider.class, loader).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                found.addAll(definitionsOf(providers.next()));
            } catch (ServiceConfigurationError | LinkageError e) { // such as a jar it needs missing
                // logged under the facade's name, where users look for start-up messages
                System.getLogger("dev.jawait.Python")
                        .log(Level.WARNING, "skipping a Java module provider that failed to load", e);
            }
        }
        return found;
    }
}
