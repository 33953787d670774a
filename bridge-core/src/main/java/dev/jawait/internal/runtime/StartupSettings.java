package dev.jawait.internal.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code Python.builder()} asks of the interpreter it starts, already checked there.
 *
 * @param pythonPath absolute entries to put in front of {@code sys.path}
 * @param environment variables set in the process before Python starts
 * @param workingDirectory the directory Python changes to, or null to keep the JVM's
 * @param forwardedLogLevel the lowest level of Python log records sent to {@code System.Logger}, or null for none
 * @param pythonHandlesSignals whether Python gets SIGINT at start-up (KeyboardInterrupt on its main thread)
 */
public record StartupSettings(
        List<Path> pythonPath,
        Map<String, String> environment,
        Path workingDirectory,
        System.Logger.Level forwardedLogLevel,
        boolean pythonHandlesSignals) {

    /** These settings but the working directory: for an isolated interpreter, as the directory is the process's. */
    public StartupSettings withoutWorkingDirectory() {
        return new StartupSettings(pythonPath, environment, null, forwardedLogLevel, pythonHandlesSignals);
    }

    /** Python's number for the forwarded level (0, NOTSET, for ALL; 5 below DEBUG for TRACE), or null. */
    public Integer pythonLogLevel() {
        if (forwardedLogLevel == null) {
            return null;
        }
        return switch (forwardedLogLevel) {
            case ALL -> 0;
            case TRACE -> 5;
            case DEBUG -> 10;
            case INFO -> 20;
            case WARNING -> 30;
            case ERROR -> 40;
            case OFF -> throw new IllegalStateException("OFF is refused by Python.Builder.forwardLogging");
        };
    }

    /** The System.Logger level of a Python log record's level number. */
    public static System.Logger.Level javaLogLevel(int pythonLevel) {
        if (pythonLevel >= 40) {
            return System.Logger.Level.ERROR;
        }
        if (pythonLevel >= 30) {
            return System.Logger.Level.WARNING;
        }
        if (pythonLevel >= 20) {
            return System.Logger.Level.INFO;
        }
        return pythonLevel >= 10 ? System.Logger.Level.DEBUG : System.Logger.Level.TRACE;
    }
}
