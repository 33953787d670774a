package dev.jawait;

import java.util.List;
import java.util.Optional;

/**
 * A Python exception, raised in Java.
 *
 * <p>Carries the Python type, message and class hierarchy (usable without the GIL), the Python
 * traceback as the first elements of {@link #getStackTrace()} (innermost first, as Java prints
 * them), and the Python cause ({@code __cause__}, or {@code __context__} unless suppressed) as
 * {@link #getCause()}. Raised back into Python, it is the original Python exception object again.
 *
 * <pre>{@code
 * try {
 *     python.attach(py -> py.eval("int('x')"));
 * } catch (PythonException e) {
 *     e.pythonType();          // "ValueError"
 *     e.isInstance("ValueError");
 *     e.pythonMessage();       // "invalid literal for int() with base 10: 'x'"
 * }
 * }</pre>
 */
public class PythonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pythonType;
    private final String qualifiedType;
    private final String pythonMessage;
    private final List<String> typeHierarchy;
    /** Owned; null once deserialized. */
    final transient PyObject exception;

    /** Built by jawait from a fetched Python error; {@code exception} is owned by the new instance. */
    PythonException(
            String pythonType,
            String qualifiedType,
            String pythonMessage,
            List<String> typeHierarchy,
            PyObject exception) {
        super(
                qualifiedType.startsWith("builtins.")
                        ? pythonType + ": " + pythonMessage
                        : qualifiedType + ": " + pythonMessage);
        this.pythonType = pythonType;
        this.qualifiedType = qualifiedType;
        this.pythonMessage = pythonMessage;
        this.typeHierarchy = List.copyOf(typeHierarchy);
        this.exception = exception;
    }

    /** The exception class's name, such as {@code "ValueError"}. */
    public String pythonType() {
        return pythonType;
    }

    /** The exception class's module and qualified name, such as {@code "builtins.ValueError"}. */
    public String qualifiedType() {
        return qualifiedType;
    }

    /** {@code str(exception)}. */
    public String pythonMessage() {
        return pythonMessage;
    }

    /**
     * Whether the Python exception is an instance of the class named {@code typeName}, by simple
     * name ({@code "LookupError"}) or module-qualified name ({@code "asyncio.exceptions.CancelledError"}).
     * Works without the GIL.
     */
    public boolean isInstance(String typeName) {
        return typeHierarchy.contains(typeName);
    }

    /**
     * A new reference to the Python exception object; needs the GIL. Empty if this exception was
     * deserialized or Python has been closed.
     */
    public Optional<PyObject> pythonException() {
        return exception == null || exception.isClosed() ? Optional.empty() : Optional.of(exception.newReference());
    }
}
