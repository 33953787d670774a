package dev.jawait.internal.ffi;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes of native memory by absolute address, and the layout facts about Python objects
 * that the stable ABI guarantees ({@code ob_refcnt} at 0, {@code ob_type} at 8 on 64-bit builds).
 */
public final class Memory {
    private Memory() {}

    // A pointer at address 0: its getters read at (0 + offset), which is any absolute address.
    private static final Pointer ABSOLUTE = new Pointer(0);

    public static final int POINTER_SIZE = Native.POINTER_SIZE;
    /** Size of the {@code PyObject} header (refcount, type) in every non-debug 64-bit CPython. */
    public static final int OBJECT_HEADER_SIZE = 16;
    private static final int OB_TYPE = 8;

    public static long getLong(long address) { return ABSOLUTE.getLong(address); }
    public static int getInt(long address) { return ABSOLUTE.getInt(address); }
    public static void putLong(long address, long value) { ABSOLUTE.setLong(address, value); }
    public static void putInt(long address, int value) { ABSOLUTE.setInt(address, value); }
    public static void putByte(long address, byte value) { ABSOLUTE.setByte(address, value); }

    /** {@code count} longs from {@code address}, in one native read. */
    public static long[] getLongs(long address, int count) {
        long[] values = new long[count];
        ABSOLUTE.read(address, values, 0, count);
        return values;
    }

    /** Writes {@code count} longs (pointers) from {@code values} at {@code address}, in one native call. */
    public static void putLongs(long address, long[] values, int count) {
        ABSOLUTE.write(address, values, 0, count);
    }

    public static byte[] getBytes(long address, int length) {
        return ABSOLUTE.getByteArray(address, length);
    }

    public static void putBytes(long address, byte[] data, int offset, int length) {
        ABSOLUTE.write(address, data, offset, length);
    }

    public static void putChars(long address, char[] data, int offset, int length) {
        ABSOLUTE.write(address, data, offset, length);
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
