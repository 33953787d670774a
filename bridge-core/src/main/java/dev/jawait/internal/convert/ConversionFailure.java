package dev.jawait.internal.convert;

/**
 * A Python value that does not fit a Java type. Carries what was expected; whoever knows the
 * context (function, parameter) turns it into the user-facing error. No stack trace: it is control
 * flow on the argument-binding path.
 */
public final class ConversionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Wrong Python type: becomes TypeError. */
        TYPE,
        /** Right type, value out of the Java type's range: becomes OverflowError. */
        OVERFLOW
    }

    private final Kind kind;
    private final String expected;
    private final String received;

    ConversionFailure(Kind kind, String expected, String received) {
        super(null, null, false, false);
        this.kind = kind;
        this.expected = expected;
        this.received = received;
    }

    public Kind kind() { return kind; }

    /** What was expected, in Python terms ("int", "str", "a Java com.example.Item"). */
    public String expected() { return expected; }

    /** The Python type name received, or for OVERFLOW the value's text. */
    public String received() { return received; }

    @Override
    public String getMessage() {
        return kind == Kind.TYPE
                ? "expected " + expected + ", got " + received
                : received + " does not fit in " + expected;
    }
}
