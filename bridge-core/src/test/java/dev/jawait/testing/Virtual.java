package dev.jawait.testing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Virtual threads for tests, which compile for JDK 17: available from JDK 21. */
public final class Virtual {
    private Virtual() {}

    private static final MethodHandle NEW_EXECUTOR = newExecutorHandle();
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    /** Whether this JDK has virtual threads. */
    public static boolean available() {
        return NEW_EXECUTOR != null;
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}. */
    public static ExecutorService perTaskExecutor() {
        try {
            return (ExecutorService) NEW_EXECUTOR.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("no virtual threads on Java " + Runtime.version(), e);
        }
    }

    /** {@code Thread.currentThread().isVirtual()}; false before JDK 21. */
    public static boolean isCurrentThreadVirtual() {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static MethodHandle newExecutorHandle() {
        try {
            return MethodHandles.publicLookup()
                    .findStatic(
                            Executors.class,
                            "newVirtualThreadPerTaskExecutor",
                            MethodType.methodType(ExecutorService.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
