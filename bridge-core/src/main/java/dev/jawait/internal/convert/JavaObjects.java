package dev.jawait.internal.convert;

/**
 * {@code jawait.JavaObject}: the Python face of Java objects that have no Python equivalent.
 * Passed back to Java, a handle is the very same Java object.
 */
public final class JavaObjects {
    private JavaObjects() {}

    private static HandleType type;

    /** Creates the type at start-up; the caller holds the GIL. */
    public static HandleType createType() {
        type = HandleType.create("jawait.JavaObject",
                "A Java object passed to Python. Opaque: pass it back to Java, where it is the same object.");
        return type;
    }

    public static long wrap(Object value) {
        return type.wrap(value);
    }

    public static boolean isHandle(long o) {
        return type != null && type.isInstance(o);
    }

    public static Object unwrap(long o) {
        return HandleType.unwrap(o);
    }
}
