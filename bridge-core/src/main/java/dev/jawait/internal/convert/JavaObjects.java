package dev.jawait.internal.convert;

import dev.jawait.internal.runtime.InterpreterLocal;

/**
 * {@code jawait.JavaObject}: the Python face of Java objects that have no Python equivalent.
 * Passed back to Java, a handle is the very same Java object.
 */
public final class JavaObjects {
    private JavaObjects() {}

    /** Each interpreter's JavaObject type, made when jawait sets the interpreter up. */
    private static final InterpreterLocal<HandleType[]> TYPES = new InterpreterLocal<>(() -> new HandleType[1]);

    /** Creates the type in the interpreter being set up; the caller holds its GIL. */
    public static HandleType createType() {
        HandleType type = HandleType.create("jawait.JavaObject",
                "A Java object passed to Python. Opaque: pass it back to Java, where it is the same object.");
        TYPES.get()[0] = type;
        return type;
    }

    public static long wrap(Object value) {
        return TYPES.get()[0].wrap(value);
    }

    public static boolean isHandle(long o) {
        HandleType type = TYPES.get()[0];
        return type != null && type.isInstance(o);
    }

    public static Object unwrap(long o) {
        return HandleType.unwrap(o);
    }
}
