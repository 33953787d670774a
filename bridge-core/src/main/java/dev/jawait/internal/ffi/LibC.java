package dev.jawait.internal.ffi;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library calls jawait makes (the wake path, signal handling, the environment at start-up),
 * bound with JNA direct mapping. No GIL involved.
 */
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

    /** {@code sigaction(signum, act, oldact)}: 0, or -1 for a signal the system refuses. */
    private static native int sigaction(int signum, long act, long oldact);

    /** Room for a {@code struct sigaction} (152 bytes on x86-64 glibc), kept opaque. */
    private static final int SIGACTION_BYTES = 256;

    /** The handlers installed now for {@code signals}, to put back with {@link #restoreHandlers}. */
    public static byte[] saveHandlers(int... signals) {
        long buffer = Native.malloc((long) SIGACTION_BYTES * signals.length);
        try {
            for (int i = 0; i < signals.length; i++) {
                sigaction(signals[i], 0, buffer + (long) SIGACTION_BYTES * i);
            }
            return Memory.getBytes(buffer, SIGACTION_BYTES * signals.length);
        } finally {
            Native.free(buffer);
        }
    }

    /** Installs again the handlers that {@link #saveHandlers} saved for the same {@code signals}. */
    public static void restoreHandlers(byte[] saved, int... signals) {
        long buffer = Native.malloc(saved.length);
        try {
            Memory.putBytes(buffer, saved, 0, saved.length);
            for (int i = 0; i < signals.length; i++) {
                sigaction(signals[i], buffer + (long) SIGACTION_BYTES * i, 0);
            }
        } finally {
            Native.free(buffer);
        }
    }
}
