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
        OVERFLOW,
        /** A value with no Java form (a container that contains itself, say): becomes ValueError. */
        VALUE
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

    public Kind kind() {
        return kind;
    }

    /** What was expected, in Python terms ("int", "str", "a Java com.example.Item"). */
    public String expected() {
        return expected;
    }

    /** The Python type name received; for OVERFLOW the value's text; for VALUE what it is ("a list that contains itself"). */
    public String received() {
        return received;
    }

    @Override
    public String getMessage() {
        return switch (kind) {
            case TYPE -> "expected " + expected + ", got " + received;
            case OVERFLOW -> received + " does not fit in " + expected;
            case VALUE -> received + " cannot be converted to Java";
        };
    }
}
