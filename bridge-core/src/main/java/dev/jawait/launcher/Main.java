package dev.jawait.launcher;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.PythonStartupException;
import dev.jawait.export.PythonStubs;
import dev.jawait.internal.JawaitVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The {@code jawait} command: runs Python like the {@code python} command, inside this JVM, with
 * Java-defined modules importable.
 *
 * <pre>
 * jawait [--python EXE] [--module-class CLASS]... (-c CODE | -m MODULE | SCRIPT | -) [ARGS...]
 * jawait [--python EXE] [--module-class CLASS]... COMMAND [ARGS...]
 * jawait [--python EXE] --version
 * jawait [--python EXE] [--module-class CLASS]... --stubs DIRECTORY
 * </pre>
 *
 * The program runs on Python's main thread; the exit status is the program's ({@code sys.exit}),
 * and an uncaught exception prints its traceback and exits with status 1. Modules come from
 * {@link dev.jawait.export.ModuleProvider} services on the class path and from each
 * {@code --module-class} (a {@link dev.jawait.export.PyModule} class or a ModuleProvider).
 * Commands come from {@link LauncherCommand} services, such as {@code run} from jawait-vertx.
 * {@code --version} prints jawait's, Java's and Python's versions (starting Python, so that it also
 * checks that the Python can be embedded). {@code --stubs DIRECTORY} writes the type stubs of the
 * Java modules that a program would find ({@link PythonStubs}) and prints the files written.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit status. */
    public static int run(String[] args) {
        Python.Builder builder = Python.builder();
        List<String> programArgs = new ArrayList<>();
        boolean version = false;
        Path stubs = null;
        int i = 0;
        try {
            for (; i < args.length; i++) {
                if (args[i].equals("--python") && i + 1 < args.length) {
                    builder.executable(args[++i]);
                } else if (args[i].equals("--module-class") && i + 1 < args.length) {
                    builder.module(moduleClass(args[++i]));
                } else if (args[i].equals("--version")) {
                    version = true;
                } else if (args[i].equals("--stubs") && i + 1 < args.length) {
                    stubs = Path.of(args[++i]);
                } else {
                    break;
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jawait: " + e.getMessage());
            return 2;
        }
        for (; i < args.length; i++) {
            programArgs.add(args[i]);
        }
        List<LauncherCommand> commands = commands();
        if (!version && stubs == null && !programArgs.isEmpty()) {
            for (LauncherCommand command : commands) {
                if (command.name().equals(programArgs.get(0))) {
                    return command.run(builder, programArgs.subList(1, programArgs.size()));
                }
            }
        }
        if (version) {
            System.out.println("jawait " + JawaitVersion.get());
            System.out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                    + ", " + System.getProperty("java.home") + ")");
        }
        Python python;
        try {
            python = builder.start();
        } catch (PythonStartupException e) {
            System.err.println("jawait: " + e.getMessage());
            return 1;
        }
        if (version) {
            System.out.println("Python " + python.version() + " (" + python.executable() + ", " + python.libpython() + ")");
            python.close();
            return 0;
        }
        if (stubs != null) {
            try {
                PythonStubs.write(stubs, python.modules()).forEach(System.out::println);
                return 0;
            } catch (java.io.UncheckedIOException e) {
                System.err.println("jawait: --stubs " + stubs + ": cannot write there (" + e.getCause() + "); give a "
                        + "directory that jawait may create or write into");
                return 1;
            } finally {
                python.close();
            }
        }
        int status;
        try {
            status = python.attachOnMainThread(py -> {
                try (PyObject launcher = py.importModule("jawait._launcher");
                     PyObject exit = launcher.callMethod("main", programArgs)) {
                    return (int) exit.asLong();
                }
            });
        } finally {
            python.close();
        }
        if (!commands.isEmpty() && !programArgs.isEmpty() && List.of("-h", "--help").contains(programArgs.get(0))) {
            System.out.println("commands:");
            for (LauncherCommand command : commands) {
                System.out.println("  jawait " + command.name() + " " + command.summary());
            }
        }
        return status;
    }

    private static List<LauncherCommand> commands() {
        List<LauncherCommand> commands = new ArrayList<>();
        Iterator<LauncherCommand> found = ServiceLoader.load(LauncherCommand.class).iterator();
        while (true) {
            try {
                if (!found.hasNext()) {
                    return commands;
                }
                commands.add(found.next());
            } catch (ServiceConfigurationError e) {
                System.err.println("jawait: skipping a command that failed to load: " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            }
        }
    }

    private static Object moduleClass(String name) {
        try {
            return Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--module-class " + name + ": no such class on the class path");
        }
    }
}
