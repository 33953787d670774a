package dev.jawait.internal.export;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.PythonInstallation;
import dev.jawait.internal.runtime.PythonLocator;
import dev.jawait.internal.runtime.StartupSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<JavaModule> found = new ArrayList<>();
        for (Object module : modules) {
            found.addAll(Bridge.modules().modulesOf(module));
        }
        if (discoverModules) {
            found.addAll(Bridge.modules().discovered());
        }
        for (JavaModule module : found) {
            registry.register(module);
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
}
