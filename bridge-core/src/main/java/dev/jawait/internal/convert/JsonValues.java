package dev.jawait.internal.convert;

import dev.jawait.internal.async.VertxSupport;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.ffi.VersionSpecific;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python JSON data as Vert.x JSON, for parameters of type JsonObject and JsonArray: a dict with
 * str keys becomes a JsonObject, a list or tuple a JsonArray, and the values inside, to any depth,
 * may be None, bool, int, float, str, dict and list (subclasses such as IntEnum included). Anything
 * else (a set, bytes, a datetime, a key that is not a str) fails, naming its type and where it sits:
 * {@code dict with set value at ['tags'][0]}; so does a container that contains itself. No Python
 * code runs while these convert, so the containers are read in place. Borrowed references, GIL
 * held; Vert.x must be present.
 */
final class JsonValues {
    private JsonValues() {}

    static final String OBJECT = "dict of JSON values";
    static final String ARRAY = "list of JSON values";

    private static final long LONG_SUBCLASS = 1L << 24,
            LIST_SUBCLASS = 1L << 25,
            TUPLE_SUBCLASS = 1L << 26,
            UNICODE_SUBCLASS = 1L << 28,
            DICT_SUBCLASS = 1L << 29;

    /** A value that is not JSON, found while walking: its description, and the path to it, built on the way out. */
    private static final class NotJson extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String what;
        String path = "";

        NotJson(String what) {
            super(null, null, false, false);
            this.what = what;
        }
    }

    static Object object(long o) {
        if ((flags(o) & DICT_SUBCLASS) == 0) {
            throw Converters.mismatch(OBJECT, o);
        }
        try {
            return VertxSupport.jsonObject(entries(o));
        } catch (NotJson e) {
            throw nested(OBJECT, o, e);
        }
    }

    static Object array(long o) {
        if ((flags(o) & (LIST_SUBCLASS | TUPLE_SUBCLASS)) == 0) {
            throw Converters.mismatch(ARRAY, o);
        }
        try {
            return VertxSupport.jsonArray(items(o));
        } catch (NotJson e) {
            throw nested(ARRAY, o, e);
        }
    }

    private static ConversionFailure nested(String expected, long o, NotJson e) {
        return new ConversionFailure(
                ConversionFailure.Kind.TYPE,
                expected,
                FromPython.typeName(o) + " with " + e.what + (e.path.isEmpty() ? "" : " at " + e.path));
    }

    private static Object value(long o) {
        long type = Memory.typeOf(o);
        if (type == Symbols.UNICODE_TYPE) {
            return FromPython.string(o);
        }
        if (type == Symbols.LONG_TYPE) {
            return FromPython.integer(o);
        }
        if (type == Symbols.FLOAT_TYPE) {
            return CPython.PyFloat_AsDouble(o);
        }
        if (o == Symbols.NONE) {
            return null;
        }
        if (type == Symbols.BOOL_TYPE) {
            return o == Symbols.TRUE;
        }
        long flags = CPython.PyType_GetFlags(type);
        if ((flags & DICT_SUBCLASS) != 0) {
            return VertxSupport.jsonObject(entries(o));
        }
        if ((flags & (LIST_SUBCLASS | TUPLE_SUBCLASS)) != 0) {
            return VertxSupport.jsonArray(items(o));
        }
        if ((flags & UNICODE_SUBCLASS) != 0) {
            return FromPython.string(o);
        }
        if ((flags & LONG_SUBCLASS) != 0) {
            return FromPython.integer(o);
        }
        throw new NotJson(FromPython.typeName(o) + " value");
    }

    private static Map<String, Object> entries(long dict) {
        ContainerNesting nesting = ContainerNesting.current();
        nesting.enterPython(dict, "dict");
        // Free-threaded: another thread may change the dict meanwhile; its items are read from a copy.
        long copy = VersionSpecific.freeThreaded() ? ToPython.checked(CPython.PyDict_Copy(dict)) : 0;
        try {
            return entriesInPlace(copy != 0 ? copy : dict);
        } finally {
            CPython.Py_DecRef(copy);
            nesting.exitPython();
        }
    }

    private static Map<String, Object> entriesInPlace(long dict) {
        Map<String, Object> entries = new LinkedHashMap<>();
        ThreadAttachment attachment = ThreadAttachment.current();
        long cells = attachment.pushSlots(3); // position, key, value: kept across nested conversions
        try {
            Memory.putLong(cells, 0);
            while (CPython.PyDict_Next(dict, cells, cells + 8, cells + 16) != 0) {
                long key = Memory.getLong(cells + 8);
                if ((flags(key) & UNICODE_SUBCLASS) == 0) {
                    throw new NotJson(FromPython.typeName(key) + " key");
                }
                String name = FromPython.string(key);
                try {
                    entries.put(name, value(Memory.getLong(cells + 16)));
                } catch (NotJson e) {
                    e.path = "['" + name + "']" + e.path;
                    throw e;
                }
            }
        } finally {
            attachment.popSlots(cells, 3);
        }
        return entries;
    }

    private static List<Object> items(long sequence) {
        boolean isTuple = (flags(sequence) & TUPLE_SUBCLASS) != 0;
        ContainerNesting nesting = ContainerNesting.current();
        nesting.enterPython(sequence, isTuple ? "tuple" : "list");
        // Free-threaded: another thread may change the list meanwhile; its items are read from a tuple.
        long snapshot =
                !isTuple && VersionSpecific.freeThreaded() ? ToPython.checked(CPython.PyList_AsTuple(sequence)) : 0;
        try {
            return snapshot != 0 ? itemsInPlace(snapshot, true) : itemsInPlace(sequence, isTuple);
        } finally {
            CPython.Py_DecRef(snapshot);
            nesting.exitPython();
        }
    }

    private static List<Object> itemsInPlace(long sequence, boolean isTuple) {
        long n = isTuple ? CPython.PyTuple_Size(sequence) : CPython.PyList_Size(sequence);
        List<Object> items = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            long item = isTuple ? CPython.PyTuple_GetItem(sequence, i) : CPython.PyList_GetItem(sequence, i);
            try {
                items.add(value(item));
            } catch (NotJson e) {
                e.path = "[" + i + "]" + e.path;
                throw e;
            }
        }
        return items;
    }

    private static long flags(long o) {
        return CPython.PyType_GetFlags(Memory.typeOf(o));
    }
}
