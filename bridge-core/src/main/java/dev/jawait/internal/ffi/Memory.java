package dev.jawait.internal.ffi;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes of native memory by absolute address, and the layout facts about Python objects
 * that the stable ABI guarantees ({@code ob_refcnt} at 0, {@code ob_type} at 8 on 64-bit builds).
 *
 * <p>Through {@code sun.misc.Unsafe} (jdk.unsupported), whose accesses the JIT compiles to plain
 * loads and stores: a field read costs well under a nanosecond, against ~10 ns through a JNA
 * {@link Pointer}, which serves when Unsafe is not available.
 */
public final class Memory {
    private Memory() {}

    private static final sun.misc.Unsafe UNSAFE = unsafe();
    // A pointer at address 0: its getters read at (0 + offset), which is any absolute address.
    private static final Pointer ABSOLUTE = new Pointer(0);

    public static final int POINTER_SIZE = Native.POINTER_SIZE;
    /** Size of the {@code PyObject} header (refcount, type) in every non-debug 64-bit CPython. */
    public static final int OBJECT_HEADER_SIZE = 16;
    private static final int OB_TYPE = 8;

    private static sun.misc.Unsafe unsafe() {
        try {
            Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            return (sun.misc.Unsafe) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    public static long getLong(long address) {
        return UNSAFE != null ? UNSAFE.getLong(address) : ABSOLUTE.getLong(address);
    }

    public static double getDouble(long address) {
        return UNSAFE != null ? UNSAFE.getDouble(address) : ABSOLUTE.getDouble(address);
    }

    public static int getInt(long address) {
        return UNSAFE != null ? UNSAFE.getInt(address) : ABSOLUTE.getInt(address);
    }

    public static void putLong(long address, long value) {
        if (UNSAFE != null) {
            UNSAFE.putLong(address, value);
        } else {
            ABSOLUTE.setLong(address, value);
        }
    }

    public static void putInt(long address, int value) {
        if (UNSAFE != null) {
            UNSAFE.putInt(address, value);
        } else {
            ABSOLUTE.setInt(address, value);
        }
    }

    public static void putByte(long address, byte value) {
        if (UNSAFE != null) {
            UNSAFE.putByte(address, value);
        } else {
            ABSOLUTE.setByte(address, value);
        }
    }

    /** {@code count} longs from {@code address}. */
    public static long[] getLongs(long address, int count) {
        long[] values = new long[count];
        if (UNSAFE != null) {
            UNSAFE.copyMemory(null, address, values, sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET, 8L * count);
        } else {
            ABSOLUTE.read(address, values, 0, count);
        }
        return values;
    }

    /** Writes {@code count} longs (pointers) from {@code values} at {@code address}. */
    public static void putLongs(long address, long[] values, int count) {
        if (UNSAFE != null) {
            UNSAFE.copyMemory(values, sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET, null, address, 8L * count);
        } else {
            ABSOLUTE.write(address, values, 0, count);
        }
    }

    public static byte[] getBytes(long address, int length) {
        byte[] bytes = new byte[length];
        if (UNSAFE != null) {
            UNSAFE.copyMemory(null, address, bytes, sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET, length);
        } else {
            ABSOLUTE.read(address, bytes, 0, length);
        }
        return bytes;
    }

    public static void putBytes(long address, byte[] data, int offset, int length) {
        if (UNSAFE != null) {
            UNSAFE.copyMemory(data, sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET + offset, null, address, length);
        } else {
            ABSOLUTE.write(address, data, offset, length);
        }
    }

    public static void putChars(long address, char[] data, int offset, int length) {
        if (UNSAFE != null) {
            UNSAFE.copyMemory(data, sun.misc.Unsafe.ARRAY_CHAR_BASE_OFFSET + 2L * offset, null, address, 2L * length);
        } else {
            ABSOLUTE.write(address, data, offset, length);
        }
    }

    /** {@code Py_TYPE(o)}. */
    public static long typeOf(long object) { return getLong(object + OB_TYPE); }

    /** {@code Py_REFCNT(o)}; immortal objects (3.12+) report a huge value. */
    public static long refCount(long object) { return getLong(object); }

    /** Allocates zeroed native memory that is never freed: for tables that live as long as Python. */
    public static long allocatePermanent(long size) {
        long address = Native.malloc(size);
        if (address == 0) {
            throw new OutOfMemoryError("native allocation of " + size + " bytes failed");
        }
        ABSOLUTE.setMemory(address, size, (byte) 0);
        return address;
    }

    /** Allocates a NUL-terminated UTF-8 copy of {@code s} that is never freed. */
    public static long permanentCString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        long address = allocatePermanent(utf8.length + 1L);
        putBytes(address, utf8, 0, utf8.length);
        return address;
    }
}
