package dev.jawait;

import dev.jawait.internal.convert.ConversionFailure;
import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.FromPython;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.runtime.Gil;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyStrings;
import dev.jawait.internal.runtime.ReferenceClaim;
import dev.jawait.internal.runtime.SharedReference;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * An owned reference to a Python object.
 *
 * <p>Close it when done (try-with-resources): that releases the reference at once if the thread
 * holds the GIL, or at the next GIL acquisition otherwise. One that is forgotten is released later,
 * after the garbage collector finds it; the release never happens without the GIL. Operations need
 * the GIL: call them inside {@link Python#attach} or from a function that Python called.
 *
 * <pre>{@code
 * long gcd = python.attach(py -> {
 *     try (PyObject math = py.importModule("math")) {
 *         return math.callMethod("gcd", 12, 18).as(Long.class);
 *     }
 * });
 * }</pre>
 *
 * Arguments are converted as {@link Py#toPython} describes; results convert back with
 * {@link #as(Class)} or {@link #toJava()}. Two PyObjects are {@code equals} when they refer to the
 * same Python object ({@code is}).
 */
public final class PyObject implements AutoCloseable {
    final ReferenceClaim claim;

    /** Takes over {@code shared}'s share. */
    PyObject(SharedReference shared) {
        this.claim = ReferenceClaim.register(this, shared);
    }

    /** Takes over a new reference to an object of the interpreter the calling thread is in. */
    static PyObject steal(long address) {
        return new PyObject(new SharedReference(address));
    }

    /** Adds a reference of its own to a borrowed one, of the interpreter the calling thread is in. */
    static PyObject borrow(long address) {
        CPython.Py_IncRef(address);
        return steal(address);
    }

    private long address() {
        return claim.address();
    }

    /** The address, for use in the calling thread's interpreter, which must be the object's. */
    long addressHere() {
        return claim.addressHere("this PyObject");
    }

    private long live(String operation) {
        Gil.require(operation, claim.shared().owner());
        return address();
    }

    /** {@code getattr(self, name)}. */
    public PyObject getAttr(String name) {
        long self = live("PyObject.getAttr");
        long interned = PyStrings.internIfRoom(name);
        long key = interned != 0 ? interned : ToPython.string(name);
        try {
            return wrap(CPython.PyObject_GetAttr(self, key));
        } finally {
            if (interned == 0) {
                CPython.Py_DecRef(key);
            }
        }
    }

    /** {@code hasattr(self, name)}. */
    public boolean hasAttr(String name) {
        long self = live("PyObject.hasAttr");
        long interned = PyStrings.internIfRoom(name);
        long key = interned != 0 ? interned : ToPython.string(name);
        try {
            return CPython.PyObject_HasAttr(self, key) == 1;
        } finally {
            if (interned == 0) {
                CPython.Py_DecRef(key);
            }
        }
    }

    /** {@code setattr(self, name, value)}, with {@code value} converted. */
    public void setAttr(String name, Object value) {
        long self = live("PyObject.setAttr");
        long v = ToPython.convert(value);
        long interned = PyStrings.internIfRoom(name);
        long key;
        try {
            key = interned != 0 ? interned : ToPython.string(name);
        } catch (RuntimeException e) {
            CPython.Py_DecRef(v);
            throw e;
        }
        int status = CPython.PyObject_SetAttr(self, key, v);
        if (interned == 0) {
            CPython.Py_DecRef(key);
        }
        CPython.Py_DecRef(v);
        if (status != 0) {
            throw PythonErrors.fetch();
        }
    }

    /** {@code self(*args)}, with each argument converted. */
    public PyObject call(Object... args) {
        return wrap(PyCalls.callConverted(live("PyObject.call"), 0, args));
    }

    /**
     * {@code self(*args)} converted to {@code type} at once (see {@link #as(Class)}): no PyObject is
     * made for the result.
     *
     * <pre>{@code
     * String text = formatter.callAs(String.class, 3.5, "kg");
     * }</pre>
     *
     * @throws ClassCastException if the result has another type
     */
    @SuppressWarnings("unchecked")
    public <T> T callAs(Class<T> type, Object... args) {
        long result = PyCalls.callConverted(live("PyObject.callAs"), 0, args);
        try {
            return (T) convert(result, type);
        } finally {
            CPython.Py_DecRef(result);
        }
    }

    /** {@code self(*args)} as a Java long; the result must be an int. */
    public long callAsLong(Object... args) {
        return callAs(long.class, args);
    }

    /** {@code self(*args)} as a Java double; the result must be a float or an int. */
    public double callAsDouble(Object... args) {
        return callAs(double.class, args);
    }

    /** {@code self(*args)}, its result discarded. */
    public void callVoid(Object... args) {
        CPython.Py_DecRef(PyCalls.callConverted(live("PyObject.callVoid"), 0, args));
    }

    /** {@code self(*args, **kwargs)}, with every value converted. */
    public PyObject callKw(Map<String, ?> kwargs, Object... args) {
        long self = live("PyObject.callKw");
        long dict = ToPython.dict(kwargs);
        try {
            return wrap(PyCalls.callConverted(self, dict, args));
        } finally {
            CPython.Py_DecRef(dict);
        }
    }

    /** {@code self.name(*args)}. */
    public PyObject callMethod(String name, Object... args) {
        try (PyObject method = getAttr(name)) {
            return wrap(PyCalls.callConverted(method.address(), 0, args));
        }
    }

    /** {@code self[key]}. */
    public PyObject getItem(Object key) {
        long self = live("PyObject.getItem");
        long k = ToPython.convert(key);
        try {
            return wrap(CPython.PyObject_GetItem(self, k));
        } finally {
            CPython.Py_DecRef(k);
        }
    }

    /** {@code self[key] = value}. */
    public void setItem(Object key, Object value) {
        long self = live("PyObject.setItem");
        long k = ToPython.convert(key);
        long v;
        try {
            v = ToPython.convert(value);
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(k);
            throw e;
        }
        int status = CPython.PyObject_SetItem(self, k, v);
        CPython.Py_DecRef(k);
        CPython.Py_DecRef(v);
        if (status != 0) {
            throw PythonErrors.fetch();
        }
    }

    /** {@code len(self)}. */
    public long len() {
        long n = CPython.PyObject_Size(live("PyObject.len"));
        if (n < 0) {
            throw PythonErrors.fetch();
        }
        return n;
    }

    /** {@code bool(self)}. */
    public boolean isTrue() {
        int truth = CPython.PyObject_IsTrue(live("PyObject.isTrue"));
        if (truth < 0) {
            throw PythonErrors.fetch();
        }
        return truth == 1;
    }

    /** {@code self is None}. */
    public boolean isNone() {
        return live("PyObject.isNone") == Symbols.NONE;
    }

    /** {@code isinstance(self, type)}. */
    public boolean isInstance(PyObject type) {
        int result = CPython.PyObject_IsInstance(live("PyObject.isInstance"), type.addressHere());
        if (result < 0) {
            throw PythonErrors.fetch();
        }
        return result == 1;
    }

    /** {@code type(self).__name__}. */
    public String typeName() {
        return FromPython.typeName(live("PyObject.typeName"));
    }

    /**
     * Converts to {@code type}: {@code Long.class} or {@code long.class} for an int, {@code String.class}
     * for a str, {@code List.class}, {@code Map.class}, a Java class for a {@code jawait.JavaObject},
     * {@code PyObject.class} for a new reference, {@code Object.class} for the natural form.
     *
     * @throws ClassCastException if the Python object has another type
     * @throws ArithmeticException if an int does not fit the Java type
     */
    @SuppressWarnings("unchecked")
    public <T> T as(Class<T> type) {
        return (T) as((Type) type);
    }

    /** Like {@link #as(Class)}, for generic types such as {@code List<Long>}. */
    public Object as(Type type) {
        return convert(live("PyObject.as"), type);
    }

    /** {@code object} (borrowed) converted to {@code type}, with the exceptions {@link #as(Class)} documents. */
    private static Object convert(long self, Type type) {
        try {
            return Converters.forType(type).convert(self);
        } catch (ConversionFailure f) {
            throw switch (f.kind()) {
                case OVERFLOW ->
                    new ArithmeticException("Python int " + f.received() + " does not fit in " + f.expected());
                case VALUE -> new IllegalArgumentException(f.getMessage());
                case TYPE ->
                    new ClassCastException(
                            self == Symbols.NONE && Converters.rawClass(type).isPrimitive()
                                    ? "cannot convert Python None to " + type.getTypeName()
                                            + ": a Java primitive cannot hold None"
                                    : "cannot convert a Python " + f.received() + " to " + type.getTypeName()
                                            + ": expected " + f.expected());
            };
        }
    }

    /**
     * The natural Java form (see {@link Py#toPython} for the correspondence).
     *
     * @throws IllegalArgumentException for a container that contains itself or is nested deeper than 1000 levels
     */
    public Object toJava() {
        long self = live("PyObject.toJava");
        try {
            return FromPython.natural(self);
        } catch (ConversionFailure f) {
            throw new IllegalArgumentException(f.getMessage());
        }
    }

    /** {@code self} as a Java long; the object must be an int (not None). */
    public long asLong() {
        return as(long.class);
    }

    /** {@code self} as a Java double; the object must be a float or an int (not None). */
    public double asDouble() {
        return as(double.class);
    }

    /** {@code self} as a Java String; the object must be a str. */
    public String asString() {
        return as(String.class);
    }

    /** {@code str(self)}. */
    public String str() {
        long text = wrapRaw(CPython.PyObject_Str(live("PyObject.str")));
        try {
            return FromPython.string(text);
        } finally {
            CPython.Py_DecRef(text);
        }
    }

    /** {@code repr(self)}. */
    public String repr() {
        long text = wrapRaw(CPython.PyObject_Repr(live("PyObject.repr")));
        try {
            return FromPython.string(text);
        } finally {
            CPython.Py_DecRef(text);
        }
    }

    /**
     * Another owned reference to the same object, closed independently of this one. Needs no GIL,
     * so any thread can keep a Python object it was handed (the two share one Python reference).
     */
    public PyObject newReference() {
        return new PyObject(claim.share());
    }

    public boolean isClosed() {
        return claim.isReleased();
    }

    /**
     * Releases this reference; does nothing if already closed. Safe on any thread: with the GIL
     * the release happens at once, without it at the next GIL acquisition.
     */
    @Override
    public void close() {
        claim.close();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyObject o
                && o.claim.shared().address() == claim.shared().address();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(claim.shared().address());
    }

    /** {@code repr(self)} when the calling thread holds the GIL; a placeholder otherwise. */
    @Override
    public String toString() {
        if (isClosed()) {
            return "<PyObject (closed)>";
        }
        ThreadAttachment attachment = ThreadAttachment.current();
        if (!attachment.holdsGil()
                || attachment.interpreter() != claim.shared().owner()
                || claim.shared().owner().state() == Interpreter.State.CLOSED) {
            return "<PyObject>";
        }
        try {
            return repr();
        } catch (RuntimeException e) {
            return "<PyObject (repr failed: " + e.getMessage() + ")>";
        }
    }

    private static PyObject wrap(long newReference) {
        return new PyObject(new SharedReference(wrapRaw(newReference)));
    }

    private static long wrapRaw(long newReference) {
        if (newReference == 0) {
            throw PythonErrors.fetch();
        }
        return newReference;
    }
}
