package dev.jawait.internal.convert;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.OptionalVertx;
import dev.jawait.internal.async.VertxSupport;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.ffi.VersionSpecific;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Map;
import java.util.Set;

/**
 * Java values to Python objects. Every method returns a new reference and needs the GIL.
 *
 * <p>null is None; Boolean is bool; Long, Integer, Short, Byte and BigInteger are int; Double and
 * Float are float; String, Character and other CharSequences are str; byte[] is bytes; Map is
 * dict; Set is set; other Collections and arrays are list; a Vert.x Buffer is bytes, a JsonObject
 * dict and a JsonArray list (their values converted by these rules); a {@link PyObject} is itself; a
 * Throwable becomes a {@code jawait.JavaError}; anything else becomes a {@code jawait.JavaObject}
 * handle that converts back to the same Java object.
 */
public final class ToPython {
    private static final Class<?> PY_OBJECT = Bridge.values().objectClass();

    private ToPython() {}

    public static long convert(Object value) {
        if (value == null) {
            return newReference(Symbols.NONE);
        }
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof Long l) {
            return integer(l);
        }
        if (value instanceof Integer i) {
            return integer(i);
        }
        if (value instanceof Boolean b) {
            return bool(b);
        }
        if (value instanceof Double d) {
            return checked(CPython.PyFloat_FromDouble(d));
        }
        if (value.getClass() == PY_OBJECT) {
            return newReference(Bridge.values().claim(value).addressHere("this PyObject"));
        }
        if (value instanceof Float f) {
            return checked(CPython.PyFloat_FromDouble(f));
        }
        if (value instanceof Short || value instanceof Byte) {
            return integer(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) {
            return bigInteger(b);
        }
        if (value instanceof Character || value instanceof CharSequence) {
            return string(value.toString());
        }
        if (value instanceof byte[] bytes) {
            return bytes(bytes);
        }
        if (OptionalVertx.isBuffer(value)) {
            return bytes(VertxSupport.bytes(value));
        }
        if (value instanceof Map<?, ?>
                || value instanceof Collection<?>
                || value.getClass().isArray()) {
            return container(value);
        }
        if (OptionalVertx.isJsonObject(value)) {
            return container(VertxSupport.jsonObjectEntries(value));
        }
        if (OptionalVertx.isJsonArray(value)) {
            return container(VertxSupport.jsonArrayItems(value));
        }
        if (value instanceof Throwable t) {
            return PythonErrors.toPythonException(t);
        }
        return JavaObjects.wrap(value);
    }

    /** A dict, set or list of the converted items of a Map, Set, other Collection or array. */
    private static long container(Object value) {
        ContainerNesting nesting = ContainerNesting.current();
        nesting.enterJava(value);
        try {
            if (value instanceof Map<?, ?> map) {
                return dict(map);
            }
            if (value instanceof Set<?> set) {
                return set(set);
            }
            if (value instanceof Collection<?> collection) {
                return list(collection);
            }
            return array(value);
        } finally {
            nesting.exitJava();
        }
    }

    public static long newReference(long object) {
        CPython.Py_IncRef(object);
        return object;
    }

    public static long bool(boolean value) {
        return newReference(value ? Symbols.TRUE : Symbols.FALSE);
    }

    /** CPython's own objects for -5 to 256, which it never frees: handed out with no crossing. */
    private static final long[] SMALL_INTS = new long[262];

    private static final int SMALL_INT_OFFSET = 5;

    /** Keeps CPython's small ints at hand; at start-up, GIL held. */
    public static void cacheSmallInts() {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = checked(CPython.PyLong_FromLongLong(i - SMALL_INT_OFFSET));
        }
    }

    public static long integer(long value) {
        if (value >= -SMALL_INT_OFFSET && value < SMALL_INTS.length - SMALL_INT_OFFSET) {
            long small = SMALL_INTS[(int) value + SMALL_INT_OFFSET];
            if (small != 0) {
                CPython.Py_IncRef(small);
                return small;
            }
        }
        return checked(CPython.PyLong_FromLongLong(value));
    }

    /** An int of any size, through its two's-complement bytes (decimal text is limited to 4,300 digits). */
    public static long bigInteger(BigInteger value) {
        if (value.bitLength() < 64) {
            return integer(value.longValue());
        }
        byte[] bytes = value.toByteArray();
        ThreadAttachment attachment = ThreadAttachment.current();
        int slots = (bytes.length + 7) / 8;
        long buffer = attachment.pushSlots(slots);
        try {
            Memory.putBytes(buffer, bytes, 0, bytes.length);
            return checked(VersionSpecific.intFromBytes(buffer, bytes.length));
        } finally {
            attachment.popSlots(buffer, slots);
        }
    }

    /** A Java String as str; a lone surrogate, which has no UTF-8 form, is refused. */
    public static long string(String s) {
        rejectLoneSurrogate(s); // the UTF-8 encoder would silently turn one into '?'
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ThreadAttachment attachment = ThreadAttachment.current();
        int slots = (utf8.length + 7) / 8;
        long buffer = attachment.pushSlots(Math.max(slots, 1));
        try {
            Memory.putBytes(buffer, utf8, 0, utf8.length);
            return checked(CPython.PyUnicode_FromStringAndSize(buffer, utf8.length));
        } finally {
            attachment.popSlots(buffer, Math.max(slots, 1));
        }
    }

    private static void rejectLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else {
                throw new IllegalArgumentException(String.format(
                        "cannot convert a Java String with a lone surrogate (\\u%04X at index %d) to a Python str: "
                                + "it has no UTF-8 form; repair the text before passing it to Python",
                        (int) c, i));
            }
        }
    }

    public static long bytes(byte[] data) {
        long bytes = checked(CPython.PyBytes_FromStringAndSize(0, data.length));
        if (data.length > 0) {
            long scratch = ThreadAttachment.current().scratch();
            CPython.PyBytes_AsStringAndSize(bytes, scratch, scratch + 8);
            Memory.putBytes(Memory.getLong(scratch), data, 0, data.length);
        }
        return bytes;
    }

    public static long list(Collection<?> items) {
        long list = checked(CPython.PyList_New(items.size()));
        int i = 0;
        try {
            for (Object item : items) {
                CPython.PyList_SetItem(list, i++, convert(item));
            }
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(list);
            throw e;
        }
        if (i != items.size()) {
            CPython.Py_DecRef(list);
            throw new ConcurrentModificationException("collection changed size while converting to a list");
        }
        return list;
    }

    private static long array(Object array) {
        int length = Array.getLength(array);
        long list = checked(CPython.PyList_New(length));
        try {
            for (int i = 0; i < length; i++) {
                CPython.PyList_SetItem(list, i, convert(Array.get(array, i)));
            }
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(list);
            throw e;
        }
        return list;
    }

    public static long dict(Map<?, ?> map) {
        long dict = checked(CPython.PyDict_New());
        try {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                long key = convert(entry.getKey());
                long value;
                try {
                    value = convert(entry.getValue());
                } catch (RuntimeException | Error e) {
                    CPython.Py_DecRef(key);
                    throw e;
                }
                int status = CPython.PyDict_SetItem(dict, key, value);
                CPython.Py_DecRef(key);
                CPython.Py_DecRef(value);
                if (status != 0) {
                    throw PythonErrors.fetch();
                }
            }
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(dict);
            throw e;
        }
        return dict;
    }

    private static long set(Set<?> items) {
        long set = checked(CPython.PySet_New(0));
        try {
            for (Object item : items) {
                long key = convert(item);
                int status = CPython.PySet_Add(set, key);
                CPython.Py_DecRef(key);
                if (status != 0) {
                    throw PythonErrors.fetch();
                }
            }
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(set);
            throw e;
        }
        return set;
    }

    /**
     * A new list taking over the first {@code count} {@code references}, written straight into its
     * item array (one native write); on failure they are released.
     */
    public static long listOf(long[] references, int count) {
        long list = CPython.PyList_New(count);
        if (list == 0) {
            for (int i = 0; i < count; i++) {
                CPython.Py_DecRef(references[i]);
            }
            throw PythonErrors.fetch();
        }
        if (count > 0) {
            Memory.putLongs(VersionSpecific.listItems(list), references, count);
        }
        return list;
    }

    /** Throws the pending Python error if a C-API call that returns a new reference failed. */
    public static long checked(long newReference) {
        if (newReference == 0) {
            throw PythonErrors.fetch();
        }
        return newReference;
    }
}
