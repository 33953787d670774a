package dev.jawait.vertx.launcher;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.PythonStartupException;
import dev.jawait.launcher.LauncherCommand;
import dev.jawait.vertx.PythonVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code jawait run MODULE [--loop asyncio|uvloop|trio] [--isolated] [--log-level LEVEL] [Vert.x options]}: runs a
 * Python module as
 * a verticle ({@link PythonVerticle}) with Vert.x's own application launcher
 * (vertx-launcher-application), which reads every other option: {@code --instances N},
 * {@code --conf JSON|FILE} (the verticle's config), {@code --cluster} (with a cluster manager on the
 * class path, such as io.vertx:vertx-hazelcast), {@code --cluster-host}, {@code --options},
 * {@code --deployment-options} and the {@code vertx.*} system properties. The current directory
 * comes first on {@code sys.path}, as with {@code python -m}. It runs until Vert.x closes: Ctrl-C or
 * SIGTERM undeploys the verticle (awaiting its {@code stop}) and exits. {@code --log-level LEVEL}
 * forwards Python's {@code logging} records of that level and above to the JVM's logging
 * ({@code System.Logger}: java.util.logging, or SLF4J or Log4j with their bridge on the class path).
 */
public final class RunCommand implements LauncherCommand {
    private static final List<String> LOOPS = List.of("asyncio", "uvloop", "trio");

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "MODULE [--loop asyncio|uvloop|trio] [--isolated] [--log-level LEVEL] [--instances N] [--conf JSON|FILE] "
                + "[--cluster] [Vert.x options]\n"
                + "      runs a Python module as a Vert.x verticle until Ctrl-C (jawait run --help: every option)";
    }

    @Override
    public int run(Python.Builder builder, List<String> args) {
        if (args.isEmpty() || args.get(0).startsWith("-")) {
            boolean help = args.contains("-h") || args.contains("--help");
            (help ? System.out : System.err)
                    .println(
                            "usage: jawait run " + summary()
                                    + "\n  --loop LIBRARY  the Python event loop of each instance: asyncio (default), uvloop or trio"
                                    + "\n  --isolated      each instance in an isolated interpreter of its own, in parallel (CPython 3.12+)"
                                    + "\n  --log-level L   forwards Python's logging records of level L and above (DEBUG, INFO, WARNING,"
                                    + "\n                  ERROR) to the JVM's logging: java.util.logging, printed to stderr, unless SLF4J's"
                                    + "\n                  or Log4j's bridge is on the class path; without it, logging stays in Python"
                                    + "\nVert.x options, read by its application launcher (the Python module is its main verticle):");
            if (help) {
                new Launcher(new String[] {"--help"}, new Hooks(null, null, false)).launch();
                return 0;
            }
            return ExitCodes.USAGE;
        }
        String module = args.get(0);
        List<String> vertxArgs = new ArrayList<>(args.subList(1, args.size()));
        String loop = "asyncio";
        int at = vertxArgs.indexOf("--loop");
        if (at >= 0) {
            if (at + 1 == vertxArgs.size() || !LOOPS.contains(vertxArgs.get(at + 1))) {
                System.err.println("jawait run: --loop takes asyncio, uvloop or trio");
                return ExitCodes.USAGE;
            }
            loop = vertxArgs.get(at + 1);
            vertxArgs.subList(at, at + 2).clear();
        }
        at = vertxArgs.indexOf("--log-level");
        if (at >= 0) {
            System.Logger.Level level = at + 1 < vertxArgs.size() ? logLevel(vertxArgs.get(at + 1)) : null;
            if (level == null) {
                System.err.println("jawait run: --log-level takes DEBUG, INFO, WARNING or ERROR (Python's level names)"
                        + (at + 1 < vertxArgs.size() ? ", not " + vertxArgs.get(at + 1) : ""));
                return ExitCodes.USAGE;
            }
            vertxArgs.subList(at, at + 2).clear();
            JvmLogging.show(level);
            builder.forwardLogging(level);
        }
        Python python;
        try {
            python = builder.start();
        } catch (PythonStartupException e) {
            System.err.println("jawait: " + e.getMessage());
            return 1;
        }
        String directory = Path.of("").toAbsolutePath().toString();
        python.run(py -> {
            try (PyObject sys = py.importModule("sys");
                    PyObject path = sys.getAttr("path")) {
                path.callMethod("insert", 0, directory).close();
            }
        });
        boolean isolated = vertxArgs.remove("--isolated");
        Hooks hooks = new Hooks(module, loop, isolated);
        int status = new Launcher(vertxArgs.toArray(String[]::new), hooks).launch();
        if (status != 0) {
            hooks.close();
            return status;
        }
        hooks.stopped.join(); // Vert.x closed: by a signal (its shutdown hook), or by the application
        return 0;
    }

    /** Python's level names (and TRACE), in any case; null for another word. */
    static System.Logger.Level logLevel(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "TRACE", "NOTSET" -> System.Logger.Level.TRACE;
            case "DEBUG" -> System.Logger.Level.DEBUG;
            case "INFO" -> System.Logger.Level.INFO;
            case "WARNING", "WARN" -> System.Logger.Level.WARNING;
            case "ERROR", "CRITICAL" -> System.Logger.Level.ERROR;
            default -> null;
        };
    }

    /** Vert.x's launcher, printing no usage of its own on failure and leaving the exit to us. */
    private static final class Launcher extends VertxApplication {
        Launcher(String[] args, VertxApplicationHooks hooks) {
            super(args, hooks, false, false);
        }
    }

    /** Deploys the Python module, and keeps the Vert.x instance so as to close it. */
    private static final class Hooks implements VertxApplicationHooks {
        private final String module;
        private final String loop;
        private final boolean isolated;
        private volatile Vertx vertx;
        final CompletableFuture<Void> stopped = new CompletableFuture<>();

        Hooks(String module, String loop, boolean isolated) {
            this.module = module;
            this.loop = loop;
            this.isolated = isolated;
        }

        @Override
        public Supplier<? extends Deployable> verticleSupplier() {
            return () -> new PythonVerticle(module, loop, isolated) {
                @Override
                protected String isolatedRemedy() {
                    return "run it without --isolated (jawait run " + module + " ...)";
                }
            };
        }

        @Override
        public void afterVertxStarted(HookContext context) {
            vertx = context.vertx();
        }

        @Override
        public void afterVertxStopped(HookContext context) {
            stopped.complete(null);
        }

        @Override
        public void afterFailureToStopVertx(HookContext context, Throwable t) {
            stopped.complete(null);
        }

        /** After a failure to start: closes Vert.x if it runs. */
        void close() {
            Vertx started = vertx;
            if (started != null) {
                started.close()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .completeOnTimeout(null, 30, TimeUnit.SECONDS)
                        .join();
            }
        }
    }
}
