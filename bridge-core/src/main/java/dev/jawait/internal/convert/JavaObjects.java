package dev.jawait.internal.convert;

import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.InterpreterLocal;

/**
 * {@code jawait.JavaObject}: the Python face of Java objects that have no Python equivalent.
 * Passed back to Java, a handle is the very same Java object.
 */
public final class JavaObjects {
    private JavaObjects() {}

    /** Each interpreter's JavaObject type, made when jawait sets the interpreter up. */
    private static final InterpreterLocal<TypeHolder> TYPES = new InterpreterLocal<>(TypeHolder::new);

    /** An interpreter's JavaObject type, whose reference it owns. */
    private static final class TypeHolder implements InterpreterLocal.Owning {
        HandleType type;

        @Override
        public void release() {
            if (type != null) {
                CPython.Py_DecRef(type.typeObject());
                type = null;
            }
        }
    }

    /** Creates the type in the interpreter being set up; the caller holds its GIL. */
    public static HandleType createType() {
        HandleType type = HandleType.create(
                "jawait.JavaObject",
                "A Java object passed to Python. Opaque: pass it back to Java, where it is the same object.");
        TYPES.get().type = type;
        return type;
    }

    public static long wrap(Object value) {
        HandleType type = TYPES.get().type;
        if (type == null) { // given back: the interpreter is ending (or jawait never set it up)
            throw new IllegalStateException("cannot pass a Java object ("
                    + value.getClass().getName() + ") to a Python interpreter that is ending");
        }
        return type.wrap(value);
    }

    public static boolean isHandle(long o) {
        HandleType type = TYPES.get().type;
        return type != null && type.isInstance(o);
    }

    public static Object unwrap(long o) {
        return HandleType.unwrap(o);
    }
}
