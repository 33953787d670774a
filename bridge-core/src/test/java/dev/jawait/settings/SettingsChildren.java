package dev.jawait.settings;

import dev.jawait.Python;
import dev.jawait.PythonException;
import dev.jawait.export.ModuleDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Main programs run in child JVMs by {@link SettingsTest}, each starting Python with some builder settings. */
final class SettingsChildren {
    private SettingsChildren() {}

    /** sys.path, environment and working directory: args are a library directory and a working directory. */
    static final class PathEnvironmentDirectory {
        public static void main(String[] args) {
            try (Python python = Python.builder()
                    .pythonPath(Path.of(args[0]))
                    .environment("JAWAIT_SETTING", "from the builder")
                    .environment("PYTHONDONTWRITEBYTECODE", "1")
                    .workingDirectory(Path.of(args[1]))
                    .start()) {
                python.run(py -> py.exec(String.join(
                        "\n",
                        "import os, sys, helper",
                        "print('sys.path[0]:', sys.path[0])",
                        "print('helper:', helper.VALUE)",
                        "print('environ:', os.environ['JAWAIT_SETTING'])",
                        "print('dont_write_bytecode:', sys.flags.dont_write_bytecode)",
                        "print('cwd:', os.getcwd())",
                        "print('relative open:', open('data.txt').read())")));
            }
        }
    }

    /** Python's logging through System.Logger, recorded by a java.util.logging handler. */
    static final class ForwardedLogging {
        public static void main(String[] args) {
            List<LogRecord> records = new ArrayList<>();
            Logger root = Logger.getLogger("");
            for (Handler console : root.getHandlers()) {
                root.removeHandler(console); // so that stderr shows whatever Python would print itself
            }
            root.addHandler(new Handler() {
                @Override
                public void publish(LogRecord record) {
                    synchronized (records) {
                        records.add(record);
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            });
            ModuleDefinition failing = ModuleDefinition.builder("failing")
                    .function(
                            "fail",
                            f -> f.body(a -> {
                                throw new IllegalStateException("refused on the Java side");
                            }))
                    .build();
            try (Python python = Python.builder()
                    .module(failing)
                    .forwardLogging(System.Logger.Level.INFO)
                    .start()) {
                python.run(py -> py.exec(String.join(
                        "\n",
                        "import logging, failing",
                        "log = logging.getLogger('shop.orders')",
                        "log.debug('below the level: not forwarded')",
                        "log.info('order %d for %s', 7, 'tea')",
                        "logging.getLogger('shop').warning('stock low')",
                        "try:",
                        "    1 / 0",
                        "except ZeroDivisionError:",
                        "    log.exception('pricing failed')",
                        "try:",
                        "    failing.fail()",
                        "except Exception:",
                        "    log.error('the Java side failed', exc_info=True)")));
            }
            synchronized (records) {
                for (LogRecord record : records) {
                    if (!record.getLoggerName().startsWith("shop")) {
                        continue; // the JVM's own loggers
                    }
                    Throwable thrown = record.getThrown();
                    String error = thrown == null
                            ? "-"
                            : thrown instanceof PythonException p
                                    ? "PythonException " + p.pythonType() + ": " + p.pythonMessage()
                                    : thrown.getClass().getName() + ": " + thrown.getMessage();
                    System.out.println(record.getLoggerName() + " | " + record.getLevel() + " | " + record.getMessage()
                            + " | " + error);
                }
            }
        }
    }
}
