package dev.jawait.internal.convert;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.Metrics;
import dev.jawait.internal.runtime.OwnedReference;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.ReferenceClaim;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exceptions across the boundary. Python to Java: a {@code PythonException}, or the original Java
 * exception when the Python one is a {@code jawait.JavaError} carrying it. Java to Python: a
 * {@code jawait.JavaError} subclass that also derives from the fitting built-in (ValueError for
 * IllegalArgumentException, ...), or the original Python exception for a PythonException.
 */
public final class PythonErrors {
    private PythonErrors() {}

    private static final PyFunctionRef DESCRIBE = new PyFunctionRef("jawait._errors", "describe");
    private static final PyFunctionRef JAVA_ERROR = new PyFunctionRef("jawait._errors", "java_error");
    /** weakref.ref itself, from the built-in module: importing weakref costs a start half a millisecond. */
    private static final PyFunctionRef WEAK_REFERENCE = new PyFunctionRef("_weakref", "ref");
    /**
     * The JavaError each Java exception became, as a Python weak reference, so that raising the
     * same Java exception again (after a trip through Java) raises the same Python object. Weak on
     * both sides: the JavaError refers to its Java exception, so a strong value would be a cycle
     * that neither garbage collector can see.
     */
    private static final Map<Throwable, OwnedReference> RAISED_AS = Collections.synchronizedMap(new WeakHashMap<>());

    private static final int MAX_CHAIN = 32;
    /**
     * Called once jawait's Python package can be imported in the interpreter being set up; before
     * that, errors are described minimally. The helpers are looked up now: an import while
     * converting an error (at the recursion limit, say) could fail with an error of its own to convert.
     */
    public static void helpersReady(Interpreter interpreter) {
        DESCRIBE.get(interpreter);
        JAVA_ERROR.get(interpreter);
        WEAK_REFERENCE.get(interpreter);
        interpreter.bootstrapped();
    }

    private static boolean helpersReady() {
        return ThreadAttachment.current().interpreter().isBootstrapped();
    }

    /**
     * Takes the pending Python error and returns it as the exception to throw, for use as
     * {@code throw PythonErrors.fetch()}. A Java exception that crossed Python is thrown as itself,
     * checked or not, from inside this method.
     */
    public static RuntimeException fetch() {
        Throwable error = fetchThrowable();
        if (error instanceof RuntimeException r) {
            return r;
        }
        throw PythonErrors.<RuntimeException>sneakyThrow(error);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    /** Takes the pending Python error (the caller holds the GIL) as a Java Throwable. */
    public static Throwable fetchThrowable() {
        ThreadAttachment attachment = ThreadAttachment.current();
        long cells = attachment.pushSlots(3);
        long type;
        long value;
        long traceback;
        try {
            CPython.PyErr_Fetch(cells, cells + 8, cells + 16);
            CPython.PyErr_NormalizeException(cells, cells + 8, cells + 16);
            type = Memory.getLong(cells);
            value = Memory.getLong(cells + 8);
            traceback = Memory.getLong(cells + 16);
        } finally {
            attachment.popSlots(cells, 3);
        }
        if (value == 0) {
            return new IllegalStateException("a Python C-API call failed without setting a Python error");
        }
        if (traceback != 0) {
            CPython.PyException_SetTraceback(value, traceback);
            CPython.Py_DecRef(traceback);
        }
        if (type != 0) {
            CPython.Py_DecRef(type);
        }
        return fromException(value, 0);
    }

    /**
     * The Java form of {@code o} if it is a Python exception (the original Java exception for a
     * {@code jawait.JavaError}), else null. Borrowed reference, GIL held.
     */
    static Throwable asJava(long o) {
        long baseExceptionSubclass = 1L << 30; // Py_TPFLAGS_BASE_EXC_SUBCLASS: PyExceptionInstance_Check
        return (CPython.PyType_GetFlags(Memory.typeOf(o)) & baseExceptionSubclass) != 0 ? fromException(o) : null;
    }

    /** The Java form of a Python exception object given as a borrowed reference. */
    public static Throwable fromException(long exception) {
        CPython.Py_IncRef(exception);
        return fromException(exception, 0);
    }

    /** The Java form of a Python exception object; takes over the reference. */
    private static Throwable fromException(long exception, int depth) {
        Object owned = Bridge.values().steal(exception);
        if (!helpersReady()) {
            return minimal(owned, exception);
        }
        long description = PyCalls.callOrZero(DESCRIBE.get(), 0, exception);
        if (description == 0) {
            CPython.PyErr_Clear();
            return minimal(owned, exception);
        }
        try {
            if (JavaObjects.isHandle(description) && JavaObjects.unwrap(description) instanceof Throwable original) {
                Bridge.values().claim(owned).close();
                return original;
            }
            List<Object> parts = FromPython.list(description, FromPython::natural);
            @SuppressWarnings("unchecked")
            List<Object> hierarchy = (List<Object>) parts.get(3);
            String frames = (String) parts.get(4);
            RuntimeException result = Bridge.exceptions()
                    .create(
                            (String) parts.get(0),
                            (String) parts.get(1),
                            (String) parts.get(2),
                            strings(hierarchy),
                            owned);
            Metrics.Sink metrics = Metrics.sink;
            if (metrics != null) {
                metrics.pythonException((String) parts.get(1));
            }
            result.setStackTrace(pythonFrames(frames, result.getStackTrace()));
            Object cause = parts.get(5);
            if (cause != null && cause.getClass() == Bridge.values().objectClass() && depth < MAX_CHAIN) {
                ReferenceClaim causeClaim = Bridge.values().claim(cause);
                long causeAddress = causeClaim.addressHere("this PyObject");
                CPython.Py_IncRef(causeAddress);
                causeClaim.close();
                result.initCause(fromException(causeAddress, depth + 1));
            }
            return result;
        } finally {
            CPython.Py_DecRef(description);
        }
    }

    private static RuntimeException minimal(Object owned, long exception) {
        String type = FromPython.typeName(exception);
        long text = CPython.PyObject_Str(exception);
        String message;
        if (text == 0) {
            CPython.PyErr_Clear();
            message = "<unprintable " + type + ">";
        } else {
            message = FromPython.string(text);
            CPython.Py_DecRef(text);
        }
        return Bridge.exceptions().create(type, "builtins." + type, message, List.of(type), owned);
    }

    private static List<String> strings(List<Object> items) {
        List<String> result = new ArrayList<>(items.size());
        for (Object item : items) {
            result.add(String.valueOf(item));
        }
        return result;
    }

    /** Python frames ("module\x1ffunction\x1ffile\x1fline" records split by \x1e, innermost first), then the Java frames. */
    private static StackTraceElement[] pythonFrames(String frames, StackTraceElement[] java) {
        List<StackTraceElement> result = new ArrayList<>();
        for (String record : frames.isEmpty() ? new String[0] : frames.split("\u001e")) {
            String[] f = record.split("\u001f", -1);
            if (f.length == 4) { // else a name held a separator: that frame is left out
                result.add(new StackTraceElement(f[0], f[1], f[2].isEmpty() ? null : f[2], Integer.parseInt(f[3])));
            }
        }
        result.addAll(List.of(java));
        return result.toArray(new StackTraceElement[0]);
    }

    /** Sets {@code error} as the current Python exception. Never throws: for use in callbacks. */
    public static void raise(Throwable error) {
        if (error instanceof StackOverflowError) {
            // Converting it would need the stack that ran out; a plain RecursionError says what happened.
            CPython.PyErr_SetString(
                    Symbols.EXC_RECURSION_ERROR,
                    "maximum recursion depth exceeded: Java ran out of "
                            + "stack on thread '" + Thread.currentThread().getName()
                            + "' in calls between Python and Java; "
                            + "nest them less deeply, or give the thread a larger stack (-Xss, or Thread's stackSize)");
            return;
        }
        try {
            long exception = toPythonException(error);
            CPython.PyErr_SetObject(Memory.typeOf(exception), exception);
            CPython.Py_DecRef(exception);
        } catch (Throwable failure) {
            try {
                CPython.PyErr_SetString(
                        Symbols.EXC_SYSTEM_ERROR,
                        "jawait could not convert a Java exception (" + error + "): " + failure);
            } catch (Throwable ignored) {
                // Out of memory even for the message: the caller still returns its error value.
            }
        }
    }

    /** Raises {@code message} as a new exception of the built-in {@code type} (such as TypeError). */
    public static void raise(long type, String message) {
        CPython.PyErr_SetString(type, message);
    }

    /** A new reference to the Python exception object for {@code error}. */
    public static long toPythonException(Throwable error) {
        return toPythonException(error, 0);
    }

    private static long toPythonException(Throwable error, int depth) {
        ReferenceClaim original = Bridge.exceptions().exceptionObject(error);
        if (original != null && !original.isReleased() && original.shared().isHere()) {
            return ToPython.newReference(original.address());
        }
        String message = error.getMessage();
        if (!helpersReady()) {
            long text = ToPython.string(error.toString());
            try {
                return PyCalls.call(Symbols.EXC_RUNTIME_ERROR, text);
            } finally {
                CPython.Py_DecRef(text);
            }
        }
        long previous = previousPythonForm(error);
        if (previous != 0) {
            return previous;
        }
        Throwable cause = error.getCause();
        long[] args = new long[6];
        try {
            args[0] = ToPython.string(kind(error.getClass()));
            args[1] = ToPython.string(error.getClass().getName());
            args[2] = message == null ? ToPython.newReference(Symbols.NONE) : ToPython.string(message);
            args[3] = JavaObjects.wrap(error);
            args[4] = ToPython.string(javaStackTrace(error));
            args[5] = cause != null && cause != error && depth < MAX_CHAIN
                    ? toPythonException(cause, depth + 1)
                    : ToPython.newReference(Symbols.NONE);
            long exception = PyCalls.call(JAVA_ERROR.get(), args);
            try {
                RAISED_AS.put(error, OwnedReference.steal(PyCalls.call(WEAK_REFERENCE.get(), exception)));
            } catch (RuntimeException e) {
                CPython.Py_DecRef(exception);
                throw e;
            }
            return exception;
        } finally {
            for (long arg : args) {
                if (arg != 0) {
                    CPython.Py_DecRef(arg);
                }
            }
        }
    }

    /** A new reference to the JavaError {@code error} became before, if it is still alive; else 0. */
    private static long previousPythonForm(Throwable error) {
        OwnedReference weak = RAISED_AS.get(error);
        if (weak == null || !weak.isUsableHere()) {
            return 0; // never raised, gone, or raised in another interpreter (which is not this one's object)
        }
        long target = PyCalls.call(weak.addressHere("a weak reference"));
        if (target == Symbols.NONE) {
            CPython.Py_DecRef(target);
            return 0;
        }
        return target;
    }

    /** This exception's own frames, without its causes (they become Python causes of their own). */
    private static String javaStackTrace(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        for (StackTraceElement element : error.getStackTrace()) {
            text.append("\n\tat ").append(element);
        }
        return text.toString();
    }

    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("java.lang.IllegalArgumentException", "ValueError"),
            Map.entry("java.lang.ClassCastException", "TypeError"),
            Map.entry("java.lang.ArrayStoreException", "TypeError"),
            Map.entry("java.util.concurrent.TimeoutException", "TimeoutError"),
            Map.entry("java.net.SocketTimeoutException", "TimeoutError"),
            Map.entry("java.io.FileNotFoundException", "FileNotFoundError"),
            Map.entry("java.nio.file.NoSuchFileException", "FileNotFoundError"),
            Map.entry("java.nio.file.FileAlreadyExistsException", "FileExistsError"),
            Map.entry("java.nio.file.AccessDeniedException", "PermissionError"),
            Map.entry("java.net.ConnectException", "ConnectionRefusedError"),
            Map.entry("java.io.IOException", "OSError"),
            Map.entry("java.io.UncheckedIOException", "OSError"),
            Map.entry("java.lang.UnsupportedOperationException", "NotImplementedError"),
            Map.entry("java.lang.IndexOutOfBoundsException", "IndexError"),
            Map.entry("java.util.NoSuchElementException", "LookupError"),
            Map.entry("java.lang.ArithmeticException", "ArithmeticError"),
            Map.entry("java.lang.IllegalStateException", "RuntimeError"),
            Map.entry("java.lang.SecurityException", "PermissionError"),
            Map.entry("java.lang.OutOfMemoryError", "MemoryError"),
            Map.entry("java.lang.StackOverflowError", "RecursionError"));
    private static final Map<Class<?>, String> KIND_CACHE = new ConcurrentHashMap<>();

    /** The Python built-in a Java exception class maps to, by its nearest mapped superclass; "" for none. */
    static String kind(Class<?> type) {
        return KIND_CACHE.computeIfAbsent(type, t -> {
            for (Class<?> c = t; c != null; c = c.getSuperclass()) {
                String kind = KINDS.get(c.getName());
                if (kind != null) {
                    return kind;
                }
            }
            return "";
        });
    }
}
