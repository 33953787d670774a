package dev.jawait.launcher;

import dev.jawait.Python;
import dev.jawait.PythonStartupException;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyModule;
import dev.jawait.export.PythonStubs;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.JawaitVersion;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The {@code jawait} command: runs Python as the {@code python} command does, inside this JVM, with
 * Java-defined modules importable.
 *
 * <pre>
 * jawait [JAWAIT OPTIONS] [PYTHON OPTIONS] [-c CODE | -m MODULE | SCRIPT | -] [ARGS...]
 * jawait [JAWAIT OPTIONS] COMMAND [ARGS...]
 * jawait [--python EXE] --version
 * jawait [--python EXE] [--module-class CLASS]... --stubs DIRECTORY
 * </pre>
 *
 * jawait's own options come first: {@code --cp PATH} (read by the {@code jawait} script, which puts
 * it on the class path), {@code --python EXE} and {@code --module-class CLASS} (a
 * {@link PyModule} class or a {@link ModuleProvider}, in addition to the providers that ServiceLoader
 * finds). Everything after them is Python's command line, which CPython parses and runs itself
 * ({@link Python.Builder#runMain}): Python's options, the program, the exit status, tracebacks and
 * signals are the python command's. A first word after them that names a {@link LauncherCommand}
 * (found with ServiceLoader, such as {@code run} from jawait-vertx) runs that command instead.
 * {@code --version} prints jawait's, Java's and Python's versions
 * (starting Python, so that it also checks that the Python can be embedded). {@code --stubs
 * DIRECTORY} writes the type stubs of the Java modules that a program would find ({@link PythonStubs})
 * and prints the files written.
 */
public final class Main {
    private Main() {}

    /** The system property in which the {@code jawait} script names itself ({@code sys.orig_argv[0]}). */
    public static final String COMMAND_PROPERTY = "jawait.command";

    private static final String USAGE = String.join(
            "\n",
            "usage: jawait [jawait options] [python options] [-c cmd | -m mod | file | -] [arg] ...",
            "jawait options, before any other:",
            "  --cp PATH            Java class path to add (jars and directories with Java modules)",
            "  --python EXE         the Python to embed (also: $JAWAIT_PYTHON, -Djawait.python); default: python3",
            "  --module-class NAME  make a Java module class importable (a @PyModule or a ModuleProvider); repeatable",
            "  --version            print jawait's, Java's and Python's versions and exit",
            "  --stubs DIR          write .pyi type stubs of the Java modules to DIR and exit",
            "Java modules listed in META-INF/services/dev.jawait.export.ModuleProvider are importable too.",
            "");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit status. */
    public static int run(String[] args) {
        Python.Builder builder = Python.builder();
        Bridge.builders().nameExecutableSetting(builder, "--python");
        boolean version = false;
        Path stubs = null;
        int i = 0;
        try {
            for (; i < args.length; i++) {
                String option = args[i];
                boolean hasValue = i + 1 < args.length;
                if (option.equals("--python") && hasValue) {
                    builder.executable(args[++i]);
                } else if (option.equals("--module-class") && hasValue) {
                    moduleClass(args[++i]).forEach(builder::module);
                } else if (option.equals("--version")) {
                    version = true;
                } else if (option.equals("--stubs") && hasValue) {
                    stubs = Path.of(args[++i]);
                } else if ((option.equals("--cp") || option.equals("--classpath")) && hasValue) {
                    throw new IllegalArgumentException(option + " " + args[i + 1] + ": the jawait script reads this "
                            + "option; run bin/jawait, or give the class path to java with -cp");
                } else {
                    break;
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jawait: " + e.getMessage());
            return 2;
        }
        List<String> rest = List.of(args).subList(i, args.length);
        boolean help = !rest.isEmpty() && List.of("-h", "--help", "-?").contains(rest.get(0));
        // A command is a bare first word; only then (or for help) are commands looked for, at a start's cost.
        List<LauncherCommand> commands =
                help || !rest.isEmpty() && !rest.get(0).startsWith("-") ? commands() : List.of();
        if (help) {
            System.out.print(USAGE);
            if (!commands.isEmpty()) {
                System.out.println(
                        "Commands, instead of a Python program (jawait COMMAND ARGS..., a script of that name "
                                + "as ./NAME):");
            }
            for (LauncherCommand command : commands) {
                System.out.println("  jawait " + command.name() + " " + command.summary());
            }
            System.out.println("The rest is the python command's, which Python explains below:");
            System.out.flush();
        }
        try {
            if (version || stubs != null) {
                return runTool(builder, version, stubs);
            }
            for (LauncherCommand command : commands) {
                if (!help && command.name().equals(rest.get(0))) {
                    return command.run(builder, rest.subList(1, rest.size()));
                }
            }
            List<String> commandLine = new ArrayList<>();
            commandLine.add(System.getProperty(COMMAND_PROPERTY, "jawait"));
            commandLine.addAll(rest);
            return builder.runMain(commandLine);
        } catch (PythonStartupException | IllegalArgumentException e) {
            System.err.println("jawait: " + e.getMessage());
            return 1;
        }
    }

    /** {@code --version} or {@code --stubs}: starts Python, does that, closes Python. */
    private static int runTool(Python.Builder builder, boolean version, Path stubs) {
        if (version) {
            System.out.println("jawait " + JawaitVersion.get());
            System.out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                    + ", " + System.getProperty("java.home") + ")");
        }
        try (Python python = builder.start()) {
            if (version) {
                System.out.println(
                        "Python " + python.version() + " (" + python.executable() + ", " + python.libpython() + ")");
                return 0;
            }
            try {
                PythonStubs.write(stubs, python.modules()).forEach(System.out::println);
                return 0;
            } catch (UncheckedIOException e) {
                System.err.println("jawait: --stubs " + stubs + ": cannot write there (" + e.getCause() + "); give a "
                        + "directory that jawait may create or write into");
                return 1;
            }
        }
    }

    /** The commands that modules on the class path contribute; one that fails to load is skipped, saying so. */
    private static List<LauncherCommand> commands() {
        List<LauncherCommand> commands = new ArrayList<>();
        Iterator<LauncherCommand> found =
                ServiceLoader.load(LauncherCommand.class).iterator();
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

    /** The modules of a {@code --module-class}, checked now so that a bad one gets a one-line error. */
    private static List<ModuleDefinition> moduleClass(String name) {
        String option = "--module-class " + name + ": ";
        Class<?> type;
        try {
            type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(option + "no such class on the class path; give the class's full "
                    + "name, and its jar or directory with --cp");
        } catch (LinkageError e) {
            throw new IllegalArgumentException(option + "the class could not be loaded (" + e + ")");
        }
        boolean annotated = type.isAnnotationPresent(PyModule.class);
        if (!annotated && !ModuleProvider.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(option + "the class is neither annotated with @PyModule nor a "
                    + "ModuleProvider; give a class that is one of them");
        }
        try {
            if (annotated) {
                return List.of(ModuleDefinition.of(type));
            }
            return ((ModuleProvider) type.getConstructor().newInstance()).modules();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw needsConstructor(option);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(option + "its constructor failed: " + e.getCause());
        } catch (InstantiationException e) {
            throw new IllegalArgumentException(option + "the class is abstract; give a concrete class");
        } catch (IllegalArgumentException e) { // ModuleDefinition.of: the class as a module, its constructor included
            if (e.getCause() instanceof InvocationTargetException failed) {
                throw new IllegalArgumentException(option + "its constructor failed: " + failed.getCause());
            }
            if (e.getCause() instanceof ReflectiveOperationException) {
                throw needsConstructor(option);
            }
            throw new IllegalArgumentException(option + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException needsConstructor(String option) {
        return new IllegalArgumentException(option + "jawait makes the module with a public no-argument constructor, "
                + "which the class does not have; add one, or name a ModuleProvider that makes the module instead");
    }
}
