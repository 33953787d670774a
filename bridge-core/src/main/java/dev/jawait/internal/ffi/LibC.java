package dev.jawait.internal.ffi;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The C library calls jawait makes, bound with JNA direct mapping. No GIL involved. */
public final class LibC {
    private LibC() {}

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private static final long ONE_BYTE = Memory.allocatePermanent(1);

    /** {@code write(fd, buf, count)}: the number of bytes written, or -1. */
    private static native long write(int fd, long buffer, long count);

    /** {@code setenv(name, value, overwrite)}: 0, or -1 with errno set. */
    private static native int setenv(String name, String value, int overwrite);

    /** Sets a variable in the process environment (not in Java's copy of it); for start-up only. */
    public static void setEnvironment(String name, String value) {
        if (setenv(name, value, 1) != 0) {
            throw new IllegalStateException("setenv(" + name + ") failed: errno " + com.sun.jna.Native.getLastError());
        }
    }

    /** Writes one byte to {@code fd}, a non-blocking pipe that an event loop watches. */
    public static void wake(int fd) {
        // A full pipe (EAGAIN) already holds an unread wake, so the result needs no check.
        write(fd, ONE_BYTE, 1);
    }
}
