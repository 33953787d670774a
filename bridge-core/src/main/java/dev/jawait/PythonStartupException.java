package dev.jawait;

/**
 * Python could not be found or started: no executable, a static build without a shared libpython,
 * an unsupported version, or a second interpreter requested in the same JVM. The message names the
 * executable that was tried and the setting that fixes it.
 */
public class PythonStartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PythonStartupException(String message) {
        super(message);
    }

    public PythonStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
