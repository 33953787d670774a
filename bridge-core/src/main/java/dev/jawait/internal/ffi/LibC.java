package dev.jawait.internal.ffi;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/** The C library calls of the wake path, bound with JNA direct mapping. No GIL involved. */
public final class LibC {
    private LibC() {}

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private static final long ONE_BYTE = Memory.allocatePermanent(1);

    /** {@code write(fd, buf, count)}: the number of bytes written, or -1. */
    private static native long write(int fd, long buffer, long count);

    /** Writes one byte to {@code fd}, a non-blocking pipe that an event loop watches. */
    public static void wake(int fd) {
        // A full pipe (EAGAIN) already holds an unread wake, so the result needs no check.
        write(fd, ONE_BYTE, 1);
    }
}
