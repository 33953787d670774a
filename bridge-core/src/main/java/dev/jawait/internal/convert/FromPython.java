package dev.jawait.internal.convert;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.ffi.VersionSpecific;
import dev.jawait.internal.runtime.PyStrings;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python objects to Java values, by their natural Java form. Arguments are borrowed references;
 * the GIL is held.
 *
 * <p>None is null; bool is Boolean; int is Long, or BigInteger beyond 64 bits; float is Double;
 * str is String; bytes and bytearray are byte[]; list and tuple are List; dict is Map; set and
 * frozenset are Set; a {@code jawait.JavaObject} is the Java object it stands for; anything else is
 * an owned {@link PyObject}.
 */
public final class FromPython {
    private FromPython() {}

    private static final long LONG_SUBCLASS = 1L << 24,
            LIST_SUBCLASS = 1L << 25,
            TUPLE_SUBCLASS = 1L << 26,
            BYTES_SUBCLASS = 1L << 27,
            UNICODE_SUBCLASS = 1L << 28,
            DICT_SUBCLASS = 1L << 29;

    public static Object natural(long o) {
        long type = Memory.typeOf(o);
        if (type == Symbols.LONG_TYPE) {
            return integer(o);
        }
        if (type == Symbols.UNICODE_TYPE) {
            return string(o);
        }
        if (o == Symbols.NONE) {
            return null;
        }
        if (type == Symbols.FLOAT_TYPE) {
            return VersionSpecific.floatValue(o);
        }
        if (type == Symbols.BOOL_TYPE) {
            return o == Symbols.TRUE;
        }
        if (type == Symbols.LIST_TYPE || type == Symbols.TUPLE_TYPE) {
            return list(o, FromPython::natural);
        }
        if (type == Symbols.DICT_TYPE) {
            return map(o, FromPython::natural, FromPython::natural);
        }
        if (type == Symbols.BYTES_TYPE || type == Symbols.BYTEARRAY_TYPE) {
            return bytes(o);
        }
        if (type == Symbols.SET_TYPE || type == Symbols.FROZENSET_TYPE) {
            return set(o, FromPython::natural);
        }
        if (JavaObjects.isHandle(o)) {
            return JavaObjects.unwrap(o);
        }
        long flags = CPython.PyType_GetFlags(type);
        if ((flags & LONG_SUBCLASS) != 0) {
            return integer(o); // IntEnum, IntFlag and other int subclasses
        }
        if ((flags & UNICODE_SUBCLASS) != 0) {
            return string(o);
        }
        if ((flags & (LIST_SUBCLASS | TUPLE_SUBCLASS)) != 0) {
            return list(o, FromPython::natural);
        }
        if ((flags & DICT_SUBCLASS) != 0) {
            return map(o, FromPython::natural, FromPython::natural);
        }
        if ((flags & BYTES_SUBCLASS) != 0) {
            return bytes(o);
        }
        return borrowed(o);
    }

    /**
     * A PyObject for {@code o}. While a Java function's arguments are being bound, it belongs to
     * that call and is closed when the call returns.
     */
    static Object borrowed(long o) {
        Object object = Bridge.values().borrow(o);
        ThreadAttachment.current().trackArgument(Bridge.values().claim(object));
        return object;
    }

    /** An int as Long, or BigInteger when it does not fit in 64 bits. */
    public static Object integer(long o) {
        if (Memory.typeOf(o) == Symbols.LONG_TYPE) {
            long value = VersionSpecific.compactInt(o);
            if (value != VersionSpecific.NOT_COMPACT) {
                return value;
            }
        }
        long overflow = ThreadAttachment.current().scratch();
        long value = CPython.PyLong_AsLongLongAndOverflow(o, overflow);
        if (Memory.getInt(overflow) != 0) {
            return bigInteger(o);
        }
        if (value == -1 && CPython.PyErr_Occurred() != 0) {
            throw PythonErrors.fetch();
        }
        return value;
    }

    /** An int of any size, through its two's-complement bytes (decimal text is limited to 4,300 digits). */
    private static BigInteger bigInteger(long o) {
        long bits = VersionSpecific.intBitLength(o);
        if (bits < 0) {
            throw PythonErrors.fetch();
        }
        int length = Math.toIntExact(bits / 8 + 1); // room for the sign bit
        ThreadAttachment attachment = ThreadAttachment.current();
        int slots = (length + 7) / 8;
        long buffer = attachment.pushSlots(slots);
        try {
            if (VersionSpecific.intToBytes(o, buffer, length) != 0) {
                throw PythonErrors.fetch();
            }
            return new BigInteger(Memory.getBytes(buffer, length));
        } finally {
            attachment.popSlots(buffer, slots);
        }
    }

    /** A str as String; a lone surrogate, which has no UTF-8 form, is refused. */
    public static String string(long o) {
        long size = ThreadAttachment.current().scratch();
        long utf8 = CPython.PyUnicode_AsUTF8AndSize(o, size);
        if (utf8 == 0) {
            RuntimeException error = PythonErrors.fetch();
            if (Bridge.exceptions().isPythonError(error, "UnicodeEncodeError")) {
                throw new IllegalArgumentException(
                        "cannot convert a Python str with a lone surrogate to a Java String: "
                                + Bridge.exceptions().pythonMessage(error),
                        error);
            }
            throw error;
        }
        int length = Math.toIntExact(Memory.getLong(size));
        return length == 0 ? "" : new String(Memory.getBytes(utf8, length), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(long o) {
        long scratch = ThreadAttachment.current().scratch();
        if ((CPython.PyType_GetFlags(Memory.typeOf(o)) & BYTES_SUBCLASS) != 0) {
            if (CPython.PyBytes_AsStringAndSize(o, scratch, scratch + 8) != 0) {
                throw PythonErrors.fetch();
            }
            return Memory.getBytes(Memory.getLong(scratch), Math.toIntExact(Memory.getLong(scratch + 8)));
        }
        long size = CPython.PyByteArray_Size(o);
        return size == 0 ? new byte[0] : Memory.getBytes(CPython.PyByteArray_AsString(o), Math.toIntExact(size));
    }

    interface ItemConverter {
        Object convert(long item);
    }

    /**
     * A list or tuple as a List. Converting an item may run Python code ({@code __index__},
     * {@code __float__}) that changes the container, so a list is converted from a snapshot tuple
     * that owns its items: the list as it was when conversion began.
     */
    static List<Object> list(long o, ItemConverter items) {
        ContainerNesting nesting = ContainerNesting.current();
        nesting.enterPython(o, (CPython.PyType_GetFlags(Memory.typeOf(o)) & TUPLE_SUBCLASS) != 0 ? "tuple" : "list");
        try {
            return snapshotList(o, items);
        } finally {
            nesting.exitPython();
        }
    }

    private static List<Object> snapshotList(long o, ItemConverter items) {
        long tuple;
        if ((CPython.PyType_GetFlags(Memory.typeOf(o)) & TUPLE_SUBCLASS) != 0) {
            tuple = ToPython.newReference(o);
        } else {
            tuple = ToPython.checked(CPython.PyList_AsTuple(o));
        }
        try {
            long n = CPython.PyTuple_Size(tuple);
            List<Object> result = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                result.add(items.convert(CPython.PyTuple_GetItem(tuple, i)));
            }
            return result;
        } finally {
            CPython.Py_DecRef(tuple);
        }
    }

    /** A dict as a Map, converted from a copy that owns its items (see {@link #list}). */
    static Map<Object, Object> map(long o, ItemConverter keys, ItemConverter values) {
        ContainerNesting nesting = ContainerNesting.current();
        nesting.enterPython(o, "dict");
        try {
            return copiedMap(o, keys, values);
        } finally {
            nesting.exitPython();
        }
    }

    private static Map<Object, Object> copiedMap(long o, ItemConverter keys, ItemConverter values) {
        Map<Object, Object> result = new LinkedHashMap<>();
        long copy = ToPython.checked(CPython.PyDict_Copy(o));
        ThreadAttachment attachment = ThreadAttachment.current();
        long cells = attachment.pushSlots(3); // position, key, value: kept across item conversions
        try {
            Memory.putLong(cells, 0);
            while (CPython.PyDict_Next(copy, cells, cells + 8, cells + 16) != 0) {
                long key = Memory.getLong(cells + 8);
                long value = Memory.getLong(cells + 16);
                result.put(keys.convert(key), values.convert(value));
            }
        } finally {
            attachment.popSlots(cells, 3);
            CPython.Py_DecRef(copy);
        }
        return result;
    }

    static Set<Object> set(long o, ItemConverter items) {
        ContainerNesting nesting = ContainerNesting.current();
        nesting.enterPython(o, "set");
        try {
            return iteratedSet(o, items);
        } finally {
            nesting.exitPython();
        }
    }

    private static Set<Object> iteratedSet(long o, ItemConverter items) {
        Set<Object> result = new LinkedHashSet<>();
        long iterator = ToPython.checked(CPython.PyObject_GetIter(o));
        try {
            long item;
            while ((item = CPython.PyIter_Next(iterator)) != 0) {
                try {
                    result.add(items.convert(item));
                } finally {
                    CPython.Py_DecRef(item);
                }
            }
            if (CPython.PyErr_Occurred() != 0) {
                throw PythonErrors.fetch();
            }
        } finally {
            CPython.Py_DecRef(iterator);
        }
        return result;
    }

    /** {@code type(o).__name__}, for messages. */
    public static String typeName(long o) {
        long name = CPython.PyObject_GetAttr(Memory.typeOf(o), PyStrings.intern("__name__"));
        if (name == 0) {
            CPython.PyErr_Clear();
            return "?";
        }
        try {
            return string(name);
        } finally {
            CPython.Py_DecRef(name);
        }
    }
}
