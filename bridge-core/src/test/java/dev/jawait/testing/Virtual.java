package dev.jawait.testing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;

/** Virtual threads for tests, which compile for JDK 17: available from JDK 21. */
public final class Virtual {
    private Virtual() {}

    private static final MethodHandle NEW_EXECUTOR = newExecutorHandle();

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

    private static MethodHandle newExecutorHandle() {
        try {
            return MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
