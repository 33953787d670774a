package dev.jawait.internal.ffi;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes of native memory by absolute address, and the layout of the Python object header:
 * on GIL builds what the stable ABI guarantees ({@code ob_refcnt} at 0, {@code ob_type} at 8 on
 * 64-bit builds); on free-threaded builds (3.13t) {@code ob_tid}, a mutex and GC bits,
 * {@code ob_ref_local} (32 bits at 12), {@code ob_ref_shared} (at 16, the count shifted left by 2)
 * and {@code ob_type} at 24, 32 bytes in all.
 *
 * <p>Accesses compile to plain loads and stores: on JDK 22+ through the FFM API (a
 * {@code MemorySegment} that spans the address space), before it through {@code sun.misc.Unsafe},
 * whose memory access warns from JDK 24 and is to be removed. A field read costs well under a
 * nanosecond either way, against ~10 ns through a JNA {@link Pointer}, which serves when neither is
 * available.
 */
public final class Memory {
    private Memory() {}

    // A pointer at address 0: its getters read at (0 + offset), which is any absolute address.
    private static final Pointer ABSOLUTE = new Pointer(0);
    private static final Access ACCESS = chooseAccess();

    public static final int POINTER_SIZE = Native.POINTER_SIZE;
    /** Size of the {@code PyObject} header: 16 on 64-bit GIL builds, 32 on free-threaded ones. */
    private static long objectHeaderSize = 16;

    private static long obType = 8;
    private static boolean freeThreaded;

    private static final long OB_REF_LOCAL = 12, OB_REF_SHARED = 16;

    /** Sets the object header's layout, before any object is read: free-threaded (3.13t) or not. */
    static void useObjectLayout(boolean freeThreadedBuild) {
        freeThreaded = freeThreadedBuild;
        objectHeaderSize = freeThreadedBuild ? 32 : 16;
        obType = freeThreadedBuild ? 24 : 8;
    }

    /** Size of the {@code PyObject} header, where a type's own fields begin. */
    public static long objectHeaderSize() {
        return objectHeaderSize;
    }

    public static long getLong(long address) {
        return ACCESS.getLong(address);
    }

    public static double getDouble(long address) {
        return ACCESS.getDouble(address);
    }

    public static int getInt(long address) {
        return ACCESS.getInt(address);
    }

    public static void putLong(long address, long value) {
        ACCESS.putLong(address, value);
    }

    public static void putInt(long address, int value) {
        ACCESS.putInt(address, value);
    }

    /** {@code count} longs from {@code address}. */
    public static long[] getLongs(long address, int count) {
        long[] values = new long[count];
        ACCESS.copyToArray(address, values, count);
        return values;
    }

    /** Writes {@code count} longs (pointers) from {@code values} at {@code address}. */
    public static void putLongs(long address, long[] values, int count) {
        ACCESS.copyFromArray(values, 0, address, count);
    }

    public static byte[] getBytes(long address, int length) {
        byte[] bytes = new byte[length];
        ACCESS.copyToArray(address, bytes, length);
        return bytes;
    }

    public static void putBytes(long address, byte[] data, int offset, int length) {
        ACCESS.copyFromArray(data, offset, address, length);
    }

    private static Access chooseAccess() {
        if (Runtime.version().feature() >= 22) {
            return new ForeignAccess();
        }
        sun.misc.Unsafe unsafe = UnsafeAccess.unsafe();
        return unsafe != null ? new UnsafeAccess(unsafe) : new PointerAccess();
    }

    /** One way to reach native memory; one implementation is loaded, so calls inline. */
    abstract static class Access {
        abstract long getLong(long address);

        abstract int getInt(long address);

        abstract double getDouble(long address);

        abstract void putLong(long address, long value);

        abstract void putInt(long address, int value);

        /** Copies {@code count} elements from {@code address} into the start of {@code array} (long[] or byte[]). */
        abstract void copyToArray(long address, Object array, int count);

        /** Copies {@code count} elements of {@code array} (long[] or byte[]) from {@code index} to {@code address}. */
        abstract void copyFromArray(Object array, int index, long address, int count);
    }

    /** {@code sun.misc.Unsafe} (jdk.unsupported), for JDK 17 to 21. */
    private static final class UnsafeAccess extends Access {
        private final sun.misc.Unsafe unsafe;

        UnsafeAccess(sun.misc.Unsafe unsafe) {
            this.unsafe = unsafe;
        }

        static sun.misc.Unsafe unsafe() {
            try {
                Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                return (sun.misc.Unsafe) field.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        @Override
        long getLong(long address) {
            return unsafe.getLong(address);
        }

        @Override
        int getInt(long address) {
            return unsafe.getInt(address);
        }

        @Override
        double getDouble(long address) {
            return unsafe.getDouble(address);
        }

        @Override
        void putLong(long address, long value) {
            unsafe.putLong(address, value);
        }

        @Override
        void putInt(long address, int value) {
            unsafe.putInt(address, value);
        }

        @Override
        void copyToArray(long address, Object array, int count) {
            if (array instanceof long[]) {
                unsafe.copyMemory(null, address, array, sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET, 8L * count);
            } else {
                unsafe.copyMemory(null, address, array, sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET, count);
            }
        }

        @Override
        void copyFromArray(Object array, int index, long address, int count) {
            if (array instanceof long[]) {
                unsafe.copyMemory(
                        array, sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET + 8L * index, null, address, 8L * count);
            } else {
                unsafe.copyMemory(array, sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET + index, null, address, count);
            }
        }
    }

    /** JNA's {@link Pointer}: where neither the FFM API nor Unsafe can be had. */
    private static final class PointerAccess extends Access {
        @Override
        long getLong(long address) {
            return ABSOLUTE.getLong(address);
        }

        @Override
        int getInt(long address) {
            return ABSOLUTE.getInt(address);
        }

        @Override
        double getDouble(long address) {
            return ABSOLUTE.getDouble(address);
        }

        @Override
        void putLong(long address, long value) {
            ABSOLUTE.setLong(address, value);
        }

        @Override
        void putInt(long address, int value) {
            ABSOLUTE.setInt(address, value);
        }

        @Override
        void copyToArray(long address, Object array, int count) {
            if (array instanceof long[] longs) {
                ABSOLUTE.read(address, longs, 0, count);
            } else {
                ABSOLUTE.read(address, (byte[]) array, 0, count);
            }
        }

        @Override
        void copyFromArray(Object array, int index, long address, int count) {
            if (array instanceof long[] longs) {
                ABSOLUTE.write(address, longs, index, count);
            } else {
                ABSOLUTE.write(address, (byte[]) array, index, count);
            }
        }
    }

    /** {@code Py_TYPE(o)}. */
    public static long typeOf(long object) {
        return getLong(object + obType);
    }

    /**
     * {@code Py_REFCNT(o)}; immortal objects (3.12+) report a huge value. On free-threaded builds the
     * owner thread's local count plus the shared one, as CPython adds them; a snapshot only.
     */
    public static long refCount(long object) {
        if (!freeThreaded) {
            return getLong(object);
        }
        long local = getInt(object + OB_REF_LOCAL) & 0xFFFFFFFFL;
        if (local == 0xFFFFFFFFL) {
            return Long.MAX_VALUE >>> 1; // immortal
        }
        return local + (getLong(object + OB_REF_SHARED) >> 2);
    }

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
