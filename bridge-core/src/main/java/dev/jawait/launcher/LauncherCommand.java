package dev.jawait.launcher;

import dev.jawait.Python;
import java.util.List;

/**
 * A command of the {@code jawait} command, contributed by a module on the class path and found with
 * {@link java.util.ServiceLoader} (list implementations in
 * {@code META-INF/services/dev.jawait.launcher.LauncherCommand}): {@code jawait NAME ARGS...} runs
 * it instead of a Python program. jawait-vertx contributes {@code run}:
 * <pre>
 * jawait run app.pricing --instances 2 --cluster
 * </pre>
 * Implementations need a public no-argument constructor.
 */
public interface LauncherCommand {
    /** The word that selects it, such as "run"; a Python script of that name needs a path ({@code ./run}). */
    String name();

    /** One line for {@code jawait --help}: its arguments and what it does. */
    String summary();

    /**
     * Runs the command and returns the exit status. {@code python} holds the {@code jawait}
     * options given before the command ({@code --python}, {@code --module-class}); the command
     * starts Python when it needs it.
     */
    int run(Python.Builder python, List<String> args);
}
