package dev.jawait.internal.convert;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.ffi.VersionSpecific;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Python objects to a given Java type, for function parameters and {@code PyObject.as(...)}.
 * Strict where Python is strict: bool is not accepted for a number, int is accepted for a float,
 * nothing but str becomes a String. A mismatch throws {@link ConversionFailure}.
 */
public final class Converters {
    private static final Class<?> PY_OBJECT = Bridge.values().objectClass();

    private Converters() {}

    /** Converts one borrowed Python object to a Java value of a fixed type. */
    public interface Converter {
        Object convert(long o);

        /** What this converter accepts, in Python terms, for messages. */
        String expected();
    }

    private static final Map<Type, Converter> CACHE = new ConcurrentHashMap<>();

    public static Converter forType(Type type) {
        Converter cached = CACHE.get(type);
        if (cached != null) {
            return cached;
        }
        // Not computeIfAbsent: making a container's converter makes its elements' (a map may not
        // be updated from inside its own computeIfAbsent).
        Converter converter = create(type);
        Class<?> raw = rawClass(type);
        // Java references may be null, so None is accepted for them; primitives refuse it.
        Converter made = raw.isPrimitive() || raw == Optional.class || raw == Object.class || raw == PY_OBJECT
                ? converter
                : orNull(converter);
        Converter raced = CACHE.putIfAbsent(type, made);
        return raced != null ? raced : made;
    }

    private static Converter orNull(Converter converter) {
        return converter(converter.expected(), o -> o == Symbols.NONE ? null : converter.convert(o));
    }

    private static Converter create(Type type) {
        if (type instanceof WildcardType wildcard) {
            return forType(wildcard.getUpperBounds()[0]);
        }
        if (type instanceof GenericArrayType array) {
            return arrayOf(rawClass(array.getGenericComponentType()), forType(array.getGenericComponentType()));
        }
        Class<?> raw = rawClass(type);
        Type[] typeArguments = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
        if (raw == Object.class) {
            return converter("object", FromPython::natural);
        }
        if (raw == long.class || raw == Long.class) {
            return integral("int", Long.MIN_VALUE, Long.MAX_VALUE, "a Java long", v -> v);
        }
        if (raw == int.class || raw == Integer.class) {
            return integral("int", Integer.MIN_VALUE, Integer.MAX_VALUE, "a Java int", v -> (int) v);
        }
        if (raw == short.class || raw == Short.class) {
            return integral("int", Short.MIN_VALUE, Short.MAX_VALUE, "a Java short", v -> (short) v);
        }
        if (raw == byte.class || raw == Byte.class) {
            return integral("int", Byte.MIN_VALUE, Byte.MAX_VALUE, "a Java byte", v -> (byte) v);
        }
        if (raw == double.class || raw == Double.class) {
            return converter("float", o -> floating(o, "float"));
        }
        if (raw == float.class || raw == Float.class) {
            return converter("float", o -> (float) floating(o, "float"));
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return converter("bool", o -> {
                if (o == Symbols.TRUE || o == Symbols.FALSE) {
                    return o == Symbols.TRUE;
                }
                throw mismatch("bool", o);
            });
        }
        if (raw == String.class || raw == CharSequence.class) {
            return converter("str", o -> {
                if (isStr(o)) {
                    return FromPython.string(o);
                }
                throw mismatch("str", o);
            });
        }
        if (raw == char.class || raw == Character.class) {
            return converter("str of length 1", o -> {
                String s = isStr(o) ? FromPython.string(o) : null;
                if (s != null && s.length() == 1) {
                    return s.charAt(0);
                }
                throw mismatch("str of length 1", o);
            });
        }
        if (raw == byte[].class) {
            return converter("bytes", o -> {
                long pyType = Memory.typeOf(o);
                if (pyType == Symbols.BYTES_TYPE || pyType == Symbols.BYTEARRAY_TYPE) {
                    return FromPython.bytes(o);
                }
                throw mismatch("bytes", o);
            });
        }
        if (raw.getName().equals("io.vertx.core.buffer.Buffer")) {
            return converter("bytes", o -> {
                long pyType = Memory.typeOf(o);
                if (pyType == Symbols.BYTES_TYPE || pyType == Symbols.BYTEARRAY_TYPE) {
                    return dev.jawait.internal.async.VertxSupport.buffer(FromPython.bytes(o));
                }
                throw mismatch("bytes", o);
            });
        }
        if (raw.getName().equals("io.vertx.core.json.JsonObject")) {
            return converter(JsonValues.OBJECT, JsonValues::object);
        }
        if (raw.getName().equals("io.vertx.core.json.JsonArray")) {
            return converter(JsonValues.ARRAY, JsonValues::array);
        }
        if (raw == BigInteger.class) {
            return converter("int", o -> {
                Object value = exactInteger(o, "int");
                return value instanceof BigInteger b ? b : BigInteger.valueOf((Long) value);
            });
        }
        if (raw == Number.class) {
            return converter("int or float", o -> {
                if (Memory.typeOf(o) == Symbols.FLOAT_TYPE) {
                    return VersionSpecific.floatValue(o);
                }
                return exactInteger(o, "int or float");
            });
        }
        if (raw == PY_OBJECT) {
            return converter("object", FromPython::borrowed);
        }
        if (raw == Optional.class) {
            Converter element = forType(typeArguments.length > 0 ? typeArguments[0] : Object.class);
            return converter(
                    element.expected() + " or None",
                    o -> o == Symbols.NONE ? Optional.empty() : Optional.of(element.convert(o)));
        }
        if (raw == List.class || raw == Collection.class || raw == Iterable.class || raw == ArrayList.class) {
            Converter element = forType(typeArguments.length > 0 ? typeArguments[0] : Object.class);
            return converter("list", o -> {
                if (!isListOrTuple(o)) {
                    throw mismatch("list", o);
                }
                return FromPython.list(o, element::convert);
            });
        }
        if (raw == Set.class) {
            Converter element = forType(typeArguments.length > 0 ? typeArguments[0] : Object.class);
            return converter("set", o -> {
                long pyType = Memory.typeOf(o);
                if (pyType != Symbols.SET_TYPE && pyType != Symbols.FROZENSET_TYPE) {
                    throw mismatch("set", o);
                }
                return FromPython.set(o, element::convert);
            });
        }
        if (raw == Map.class) {
            Converter keys = forType(typeArguments.length > 0 ? typeArguments[0] : Object.class);
            Converter values = forType(typeArguments.length > 1 ? typeArguments[1] : Object.class);
            return converter("dict", o -> {
                if ((CPython.PyType_GetFlags(Memory.typeOf(o)) & (1L << 29)) == 0) {
                    throw mismatch("dict", o);
                }
                return FromPython.map(o, keys::convert, values::convert);
            });
        }
        if (raw.isArray()) {
            return arrayOf(raw.getComponentType(), forType(raw.getComponentType()));
        }
        if (raw.isEnum()) {
            return enumConstant(raw);
        }
        if (PythonCallables.isFunctionalInterface(raw)) {
            return converter("callable", o -> {
                if (JavaObjects.isHandle(o) && raw.isInstance(JavaObjects.unwrap(o))) {
                    return JavaObjects.unwrap(o);
                }
                if (CPython.PyCallable_Check(o) == 0) {
                    throw mismatch("callable", o); // refused at the call, not when Java first calls it
                }
                return PythonCallables.proxy(raw, o);
            });
        }
        if (Throwable.class.isAssignableFrom(raw)) {
            String expected = "an exception convertible to " + raw.getName();
            return converter(expected, o -> {
                Object exception = JavaObjects.isHandle(o) ? JavaObjects.unwrap(o) : PythonErrors.asJava(o);
                if (raw.isInstance(exception)) {
                    return exception;
                }
                throw mismatch(expected, o);
            });
        }
        String expected = "a Java " + raw.getName();
        return converter(expected, o -> {
            if (JavaObjects.isHandle(o)) {
                Object value = JavaObjects.unwrap(o);
                if (raw.isInstance(value)) {
                    return value;
                }
                throw new ConversionFailure(
                        ConversionFailure.Kind.TYPE,
                        expected,
                        "a Java " + (value == null ? "null" : value.getClass().getName()));
            }
            throw mismatch(expected, o);
        });
    }

    private static Converter converter(String expected, LongFunction<Object> body) {
        return new Converter() {
            @Override
            public Object convert(long o) {
                return body.apply(o);
            }

            @Override
            public String expected() {
                return expected;
            }
        };
    }

    private interface Narrowing {
        Object narrow(long value);
    }

    private static Converter integral(String expected, long min, long max, String javaType, Narrowing narrowing) {
        return converter(expected, o -> {
            long value;
            if (Memory.typeOf(o) == Symbols.LONG_TYPE) {
                value = VersionSpecific.compactInt(o);
                if (value == VersionSpecific.NOT_COMPACT) {
                    value = CPython.PyLong_AsLongLong(o);
                    if (value == -1 && CPython.PyErr_Occurred() != 0) {
                        CPython.PyErr_Clear();
                        throw overflow(o, javaType);
                    }
                }
            } else {
                Object exact = exactInteger(o, expected);
                if (exact instanceof BigInteger) {
                    throw overflow(o, javaType);
                }
                value = (Long) exact;
            }
            if (value < min || value > max) {
                throw overflow(o, javaType);
            }
            return narrowing.narrow(value);
        });
    }

    /** An int (not bool), or an object with {@code __index__}, as Long or BigInteger. */
    private static Object exactInteger(long o, String expected) {
        long type = Memory.typeOf(o);
        if (type == Symbols.LONG_TYPE) {
            return FromPython.integer(o);
        }
        if (type == Symbols.BOOL_TYPE || type == Symbols.FLOAT_TYPE || isStr(o)) {
            throw mismatch(expected, o);
        }
        long index = CPython.PyNumber_Index(o);
        if (index == 0) {
            CPython.PyErr_Clear();
            throw mismatch(expected, o);
        }
        try {
            return FromPython.integer(index);
        } finally {
            CPython.Py_DecRef(index);
        }
    }

    private static double floating(long o, String expected) {
        long type = Memory.typeOf(o);
        if (type == Symbols.FLOAT_TYPE) {
            return VersionSpecific.floatValue(o);
        }
        if (type == Symbols.BOOL_TYPE || isStr(o)) {
            throw mismatch(expected, o);
        }
        double value = CPython.PyFloat_AsDouble(o); // ints and objects with __float__ or __index__
        if (value == -1.0 && CPython.PyErr_Occurred() != 0) {
            RuntimeException error = PythonErrors.fetch();
            if (Bridge.exceptions().isPythonError(error, "OverflowError")) {
                throw overflow(o, "a Java double");
            }
            throw mismatch(expected, o);
        }
        return value;
    }

    private static Converter arrayOf(Class<?> component, Converter element) {
        return converter("list", o -> {
            if (!isListOrTuple(o)) {
                throw mismatch("list", o);
            }
            List<Object> items = FromPython.list(o, element::convert);
            Object array = Array.newInstance(component, items.size());
            for (int i = 0; i < items.size(); i++) {
                Array.set(array, i, items.get(i));
            }
            return array;
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Converter enumConstant(Class<?> enumType) {
        String expected = "str naming a " + enumType.getSimpleName() + " constant";
        return converter(expected, o -> {
            if (JavaObjects.isHandle(o) && enumType.isInstance(JavaObjects.unwrap(o))) {
                return JavaObjects.unwrap(o);
            }
            if (isStr(o)) {
                String name = FromPython.string(o);
                try {
                    return Enum.valueOf((Class) enumType, name);
                } catch (IllegalArgumentException e) {
                    throw new ConversionFailure(ConversionFailure.Kind.TYPE, expected, "'" + name + "'");
                }
            }
            throw mismatch(expected, o);
        });
    }

    private static boolean isStr(long o) {
        return Memory.typeOf(o) == Symbols.UNICODE_TYPE
                || (CPython.PyType_GetFlags(Memory.typeOf(o)) & (1L << 28)) != 0;
    }

    private static boolean isListOrTuple(long o) {
        return (CPython.PyType_GetFlags(Memory.typeOf(o)) & ((1L << 25) | (1L << 26))) != 0;
    }

    static ConversionFailure mismatch(String expected, long o) {
        return new ConversionFailure(ConversionFailure.Kind.TYPE, expected, FromPython.typeName(o));
    }

    private static ConversionFailure overflow(long o, String javaType) {
        long text = CPython.PyObject_Repr(o);
        String shown = text == 0 ? "the value" : FromPython.string(text);
        if (text == 0) {
            CPython.PyErr_Clear();
        } else {
            CPython.Py_DecRef(text);
        }
        return new ConversionFailure(ConversionFailure.Kind.OVERFLOW, javaType, shown);
    }

    public static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            return Array.newInstance(rawClass(a.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        return Object.class; // type variables
    }
}
