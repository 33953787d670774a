package dev.jawait.internal.runtime;

import dev.jawait.internal.ffi.LibC;
import dev.jawait.internal.ffi.VersionSpecific;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * What lets a virtual thread run Python without crashing the JVM or stalling its scheduler.
 *
 * <p>CPython binds a thread state to an OS thread (it reads the current one from that thread's TLS),
 * while a virtual thread may resume on another carrier after any park. So a virtual thread's
 * outermost scope runs <em>pinned</em>: below a native frame, so that it keeps its carrier until the
 * scope ends (a park inside blocks the carrier, as it would block a platform thread). On JDK 22+ the
 * native frame is an FFM downcall into an upcall stub of this class; on JDK 21, where
 * {@code synchronized} pins, a monitor. The thread states are the carriers': one per carrier thread
 * that ever ran Python (the default scheduler keeps one carrier per core), never one per virtual
 * thread, so a million virtual threads make no more thread states than a few platform threads.
 *
 * <p>Virtual threads first pass a gate of one permit, parked (not pinned) while another virtual
 * thread holds or awaits the GIL: a virtual thread waiting for the GIL inside CPython would block
 * its carrier, and with every carrier blocked the GIL's holder could wait forever for work that
 * needs one. A virtual thread gives the permit back while it has released the GIL ({@code detach},
 * {@code releaseGil} functions) and takes it again, pinned, before taking the GIL back.
 *
 * <p>On a free-threaded Python (3.13t) there is no GIL to wait for, so the gate lets as many virtual
 * threads run Python at once as there are carriers but one: each of them keeps its carrier for its
 * whole scope, and the one left over runs the virtual threads they may wait for, as on GIL builds.
 */
final class VirtualThreads {
    private VirtualThreads() {}

    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    /** The gate, sized once Python has started (its build decides how many may pass). */
    private static final class Gate {
        static final Semaphore PERMITS = new Semaphore(permits());

        private static int permits() {
            if (!VersionSpecific.freeThreaded()) {
                return 1;
            }
            int carriers = Runtime.getRuntime().availableProcessors();
            String configured = System.getProperty("jdk.virtualThreadScheduler.parallelism");
            if (configured != null) {
                try {
                    carriers = Integer.parseInt(configured.trim());
                } catch (NumberFormatException e) {
                    // the JDK refuses it too; keep the default
                }
            }
            return Math.max(1, carriers - 1);
        }
    }
    /** The Python-facing state of each carrier thread, by {@code pthread_self()}. */
    private static final ConcurrentHashMap<Long, Carrier> CARRIERS = new ConcurrentHashMap<>();

    /** The pin, built when a virtual thread first needs it: the FFM linker costs a start that has none. */
    private static final class Pin {
        static final MethodHandle DOWNCALL_INTO_PINNED_BODY = downcallIntoPinnedBody();
    }

    /** What a carrier thread keeps for the virtual threads it runs: its native scratch and thread state. */
    static final class Carrier {
        final ThreadAttachment.NativeResources resources = new ThreadAttachment.NativeResources(null); // never freed
        /** The carrier's thread state in the main interpreter, or null; replaced once that interpreter ends. */
        ThreadAttachment.Slot main;
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The carrier that runs the calling (pinned) virtual thread. */
    static Carrier carrier() {
        return CARRIERS.computeIfAbsent(LibC.pthread_self(), thread -> new Carrier());
    }

    static void enterGate() {
        Gate.PERMITS.acquireUninterruptibly();
    }

    static void leaveGate() {
        Gate.PERMITS.release();
    }

    /** Runs {@code body} on the calling virtual thread, which cannot leave its carrier meanwhile. */
    static <T> T pinned(ThreadAttachment attachment, Supplier<T> body) {
        MethodHandle downcall = Pin.DOWNCALL_INTO_PINNED_BODY;
        if (downcall == null) {
            synchronized (attachment) { // pins on JDK 21, the one JDK with virtual threads and no FFM
                return body.get();
            }
        }
        PinnedBody<T> pinned = new PinnedBody<>(body);
        attachment.pinnedBody = pinned;
        try {
            downcall.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("could not enter native code to pin a virtual thread", e);
        } finally {
            attachment.pinnedBody = null;
        }
        return pinned.outcome();
    }

    /** A body run by {@link #runPinnedBody}, and what it returned or threw. */
    static final class PinnedBody<T> {
        private final Supplier<T> body;
        private T result;
        private Throwable failure;

        PinnedBody(Supplier<T> body) {
            this.body = body;
        }

        void run() {
            try {
                result = body.get();
            } catch (Throwable e) { // an upcall that throws ends the JVM
                failure = e;
            }
        }

        T outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) { // a checked exception thrown sneakily by the body
                throw new UndeclaredThrowableException(failure);
            }
            return result;
        }
    }

    /** The upcall: runs the body that {@link #pinned} left on the calling thread. */
    private static void runPinnedBody() {
        ThreadAttachment.current().pinnedBody.run();
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // before JDK 21: no virtual threads
        }
    }

    /**
     * A {@code ()void} handle that calls, through the FFM linker, an upcall stub of {@link #runPinnedBody}:
     * Java to native to Java, so the body runs below a native frame. Built reflectively, as jawait
     * compiles for JDK 17; null before JDK 22.
     */
    private static MethodHandle downcallIntoPinnedBody() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Object noOptions = Array.newInstance(optionClass, 0);
            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Object voidOfNothing = descriptorClass
                    .getMethod("ofVoid", layoutClass.arrayType())
                    .invoke(null, Array.newInstance(layoutClass, 0));
            MethodHandle target = MethodHandles.lookup()
                    .findStatic(VirtualThreads.class, "runPinnedBody", MethodType.methodType(void.class));
            Object stub = linkerClass
                    .getMethod("upcallStub", MethodHandle.class, descriptorClass, arenaClass, optionClass.arrayType())
                    .invoke(
                            linker,
                            target,
                            voidOfNothing,
                            arenaClass.getMethod("global").invoke(null),
                            noOptions);
            return (MethodHandle) linkerClass
                    .getMethod("downcallHandle", segmentClass, descriptorClass, optionClass.arrayType())
                    .invoke(linker, stub, voidOfNothing, noOptions);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "jawait could not set up the FFM upcall that keeps a virtual thread "
                            + "on its carrier while it runs Python",
                    e);
        }
    }
}
