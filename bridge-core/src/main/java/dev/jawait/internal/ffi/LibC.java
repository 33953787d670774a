package dev.jawait.internal.ffi;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C library calls jawait makes (the wake path, signal handling, the environment at start-up,
 * thread stacks), bound with JNA direct mapping. No GIL involved. Linux (glibc) x86-64.
 */
public final class LibC {
    private LibC() {}

    /** glibc by its soname: by the name "c", JNA would run {@code ldconfig -p} to find it, at every start. */
    private static final String LIBRARY = "libc.so.6";

    static {
        Native.register(LibC.class, LIBRARY);
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

    private static native String getenv(String name);

    /** A variable of the process environment (which Python reads at start-up), or null. */
    public static String environment(String name) {
        return getenv(name);
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

    /** The address of {@code signum}'s handler now: 0 for SIG_DFL, 1 for SIG_IGN. */
    public static long handlerOf(int signum) {
        long buffer = Native.malloc(SIGACTION_BYTES);
        try {
            Memory.putLong(buffer, 0);
            sigaction(signum, 0, buffer);
            return Memory.getLong(buffer); // sa_handler comes first
        } finally {
            Native.free(buffer);
        }
    }

    /**
     * Gives {@code signum} a handler that does nothing, installed without {@code SA_RESTART}: sent
     * to a thread with {@link #interrupt}, it only makes that thread's blocking system call return
     * with EINTR. libc's {@code getpid} serves as the handler: async-signal-safe, no side effect, and
     * its {@code int} argument is simply ignored by the x86-64 calling convention.
     */
    public static void installInterruptingNoOpHandler(int signum) {
        long noOp = Pointer.nativeValue(NativeLibrary.getInstance(LIBRARY).getFunction("getpid"));
        long action = Native.malloc(SIGACTION_BYTES);
        try {
            Memory.putBytes(action, new byte[SIGACTION_BYTES], 0, SIGACTION_BYTES); // empty mask, no flags
            Memory.putLong(action, noOp);
            if (sigaction(signum, action, 0) != 0) {
                throw new IllegalStateException("sigaction(" + signum + ") failed: errno " + Native.getLastError());
            }
        } finally {
            Native.free(action);
        }
    }

    /** {@code SIGRTMAX}: the highest real-time signal. */
    public static int realTimeSignalMax() {
        return __libc_current_sigrtmax();
    }

    private static native int __libc_current_sigrtmax();

    /** {@code pthread_self()}: the calling thread, to {@link #interrupt} later. */
    public static native long pthread_self();

    private static native int pthread_kill(long thread, int signum);

    /** Sends {@code signum} to {@code thread} (from {@link #pthread_self}), which must still run. */
    public static void interrupt(long thread, int signum) {
        pthread_kill(thread, signum);
    }

    private static native int pthread_getattr_np(long thread, long attr);

    private static native int pthread_attr_getstacksize(long attr, long sizeOut);

    private static native int pthread_attr_destroy(long attr);

    /** Room for a {@code pthread_attr_t} (56 bytes on x86-64 glibc). */
    private static final int PTHREAD_ATTR_BYTES = 128;

    /** The size of the calling thread's stack in bytes, or -1 if the system does not say. */
    public static long currentThreadStackSize() {
        long attr = Native.malloc(PTHREAD_ATTR_BYTES + 8L);
        try {
            if (pthread_getattr_np(pthread_self(), attr) != 0) {
                return -1;
            }
            try {
                long size = attr + PTHREAD_ATTR_BYTES;
                return pthread_attr_getstacksize(attr, size) == 0 ? Memory.getLong(size) : -1;
            } finally {
                pthread_attr_destroy(attr);
            }
        } finally {
            Native.free(attr);
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
