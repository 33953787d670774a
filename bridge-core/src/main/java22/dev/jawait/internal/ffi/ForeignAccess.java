package dev.jawait.internal.ffi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Native memory through the FFM API, called directly (JDK 22+; {@code META-INF/versions/22} of a jar
 * built on JDK 22+): a segment over the whole address space, read and written with unaligned layouts
 * in native byte order, so that an access takes just an address. The JIT compiles each access to a
 * plain load or store; unlike the method handles of the JDK 17 build's version, nothing here is made
 * at start-up but the segment.
 */
final class ForeignAccess extends Memory.Access {
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Override
    long getLong(long address) {
        return EVERYTHING.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
    }

    @Override
    int getInt(long address) {
        return EVERYTHING.get(ValueLayout.JAVA_INT_UNALIGNED, address);
    }

    @Override
    double getDouble(long address) {
        return EVERYTHING.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, address);
    }

    @Override
    void putLong(long address, long value) {
        EVERYTHING.set(ValueLayout.JAVA_LONG_UNALIGNED, address, value);
    }

    @Override
    void putInt(long address, int value) {
        EVERYTHING.set(ValueLayout.JAVA_INT_UNALIGNED, address, value);
    }

    @Override
    void copyToArray(long address, Object array, int count) {
        if (array instanceof long[] longs) {
            MemorySegment.copy(EVERYTHING, ValueLayout.JAVA_LONG_UNALIGNED, address, longs, 0, count);
        } else {
            MemorySegment.copy(EVERYTHING, ValueLayout.JAVA_BYTE, address, (byte[]) array, 0, count);
        }
    }

    @Override
    void copyFromArray(Object array, int index, long address, int count) {
        if (array instanceof long[] longs) {
            MemorySegment.copy(longs, index, EVERYTHING, ValueLayout.JAVA_LONG_UNALIGNED, address, count);
        } else {
            MemorySegment.copy((byte[]) array, index, EVERYTHING, ValueLayout.JAVA_BYTE, address, count);
        }
    }
}
