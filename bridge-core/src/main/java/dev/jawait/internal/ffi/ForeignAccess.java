package dev.jawait.internal.ffi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Native memory through the FFM API (JDK 22+), reached through method handles as jawait compiles
 * for JDK 17: each handle is bound to a segment over the whole address space and an unaligned layout
 * in native byte order, so that it takes just an address.
 *
 * <p>A jar built on JDK 22+ carries a version of this class for JDK 22+ ({@code src/main/java22},
 * in {@code META-INF/versions/22}) that calls the API directly: making these handles costs a start
 * tens of milliseconds (a reflective call of a restricted method spins classes that no class data
 * archive keeps). This one serves a jar built on an older JDK.
 */
final class ForeignAccess extends Memory.Access {
    // Static final, so that the JIT inlines them as constants.
    private static final MethodHandle GET_LONG;
    private static final MethodHandle GET_INT;
    private static final MethodHandle GET_DOUBLE;
    private static final MethodHandle PUT_LONG;
    private static final MethodHandle PUT_INT;
    private static final MethodHandle LONGS_TO_ARRAY;
    private static final MethodHandle BYTES_TO_ARRAY;
    private static final MethodHandle LONGS_FROM_ARRAY;
    private static final MethodHandle BYTES_FROM_ARRAY;

    static {
        try {
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutClass = Class.forName("java.lang.foreign.ValueLayout");
            Object nothing = segmentClass.getField("NULL").get(null);
            Object everything =
                    segmentClass.getMethod("reinterpret", long.class).invoke(nothing, Long.MAX_VALUE);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            GET_LONG = accessor(lookup, everything, "get", "JAVA_LONG_UNALIGNED", "OfLong", long.class);
            GET_INT = accessor(lookup, everything, "get", "JAVA_INT_UNALIGNED", "OfInt", int.class);
            GET_DOUBLE = accessor(lookup, everything, "get", "JAVA_DOUBLE_UNALIGNED", "OfDouble", double.class);
            PUT_LONG = accessor(lookup, everything, "set", "JAVA_LONG_UNALIGNED", "OfLong", long.class);
            PUT_INT = accessor(lookup, everything, "set", "JAVA_INT_UNALIGNED", "OfInt", int.class);
            Object longs = layoutClass.getField("JAVA_LONG_UNALIGNED").get(null);
            Object bytes = layoutClass.getField("JAVA_BYTE").get(null);
            MethodHandle toArray = lookup.findStatic(
                    segmentClass,
                    "copy",
                    MethodType.methodType(
                            void.class, segmentClass, layoutClass, long.class, Object.class, int.class, int.class));
            MethodHandle fromArray = lookup.findStatic(
                    segmentClass,
                    "copy",
                    MethodType.methodType(
                            void.class, Object.class, int.class, segmentClass, layoutClass, long.class, int.class));
            // (address, array, count) and (array, index, address, count)
            LONGS_TO_ARRAY =
                    MethodHandles.insertArguments(MethodHandles.insertArguments(toArray, 0, everything, longs), 2, 0);
            BYTES_TO_ARRAY =
                    MethodHandles.insertArguments(MethodHandles.insertArguments(toArray, 0, everything, bytes), 2, 0);
            LONGS_FROM_ARRAY = MethodHandles.insertArguments(fromArray, 2, everything, longs);
            BYTES_FROM_ARRAY = MethodHandles.insertArguments(fromArray, 2, everything, bytes);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(
                    new IllegalStateException("jawait could not set up native memory access through the FFM API", e));
        }
    }

    /**
     * {@code segment.get(layout, address)} as {@code (long)T}, or {@code segment.set(layout, address, value)}
     * as {@code (long, T)void}, for the {@code ValueLayout} constant {@code layoutName} of type {@code layoutType}.
     */
    private static MethodHandle accessor(
            MethodHandles.Lookup lookup,
            Object segment,
            String name,
            String layoutName,
            String layoutType,
            Class<?> type)
            throws ReflectiveOperationException {
        Class<?> layoutClass = Class.forName("java.lang.foreign.ValueLayout$" + layoutType);
        Object layout = Class.forName("java.lang.foreign.ValueLayout")
                .getField(layoutName)
                .get(null);
        MethodType methodType = name.equals("get")
                ? MethodType.methodType(type, layoutClass, long.class)
                : MethodType.methodType(void.class, layoutClass, long.class, type);
        MethodHandle access = lookup.findVirtual(Class.forName("java.lang.foreign.MemorySegment"), name, methodType);
        return MethodHandles.insertArguments(access, 0, segment, layout);
    }

    @Override
    long getLong(long address) {
        try {
            return (long) GET_LONG.invokeExact(address);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    @Override
    int getInt(long address) {
        try {
            return (int) GET_INT.invokeExact(address);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    @Override
    double getDouble(long address) {
        try {
            return (double) GET_DOUBLE.invokeExact(address);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    @Override
    void putLong(long address, long value) {
        try {
            PUT_LONG.invokeExact(address, value);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    @Override
    void putInt(long address, int value) {
        try {
            PUT_INT.invokeExact(address, value);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    @Override
    void copyToArray(long address, Object array, int count) {
        try {
            if (array instanceof long[]) {
                LONGS_TO_ARRAY.invokeExact(address, array, count);
            } else {
                BYTES_TO_ARRAY.invokeExact(address, array, count);
            }
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    @Override
    void copyFromArray(Object array, int index, long address, int count) {
        try {
            if (array instanceof long[]) {
                LONGS_FROM_ARRAY.invokeExact(array, index, address, count);
            } else {
                BYTES_FROM_ARRAY.invokeExact(array, index, address, count);
            }
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error r) {
            throw r;
        }
        throw new IllegalStateException(e);
    }
}
