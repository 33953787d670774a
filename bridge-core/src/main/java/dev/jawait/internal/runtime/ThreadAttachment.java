package dev.jawait.internal.runtime;

import com.sun.jna.Native;
import dev.jawait.PyObject;
import dev.jawait.internal.ffi.CPython;
import java.util.ArrayList;
import java.util.List;

/**
 * What one Java thread knows about its relation to the GIL.
 *
 * <p>{@code depth > 0} means this thread holds the GIL: inside {@code attach}, or inside a call
 * from Python into Java. A Java thread gets one Python thread state the first time it attaches and
 * keeps it (creating one per attach costs ~10 us); when the thread ends, {@link ThreadReaper} frees
 * it. Threads created by Python already have a thread state and never get one from here.
 */
public final class ThreadAttachment {
    private static final ThreadLocal<ThreadAttachment> CURRENT = ThreadLocal.withInitial(ThreadAttachment::new);
    private static final int SCRATCH_BYTES = 64;
    private static final int STACK_SLOTS = 4096;

    /** Native resources of a thread, freed by {@link ThreadReaper} once the thread has ended. */
    static final class NativeResources {
        final Thread thread = Thread.currentThread();
        final long scratch = Native.malloc(SCRATCH_BYTES);
        long stack;
        /** The Python thread state made for this Java thread, or 0 (none yet, or one that Python owns). */
        long ownedThreadState;

        void free() {
            Native.free(scratch);
            if (stack != 0) {
                Native.free(stack);
            }
        }
    }

    private final NativeResources resources = new NativeResources();
    /** Thread state to restore when attaching from depth 0; 0 for a thread that never attached. */
    private long threadState;
    private int depth;
    /** Scopes this thread left with the GIL released ({@link #detach}), to come back to. */
    private int detachedScopes;
    private int stackTop;
    /** How deep Python may recurse on this Java thread; null for threads whose state Python made. */
    private RecursionBudget recursionBudget;
    private Object token;
    /** Argument scopes, reused; the first {@code argumentDepth} are open (see {@link #openArgumentScope}). */
    private ArgumentScope[] argumentScopes;
    private int argumentDepth;

    private ThreadAttachment() {
        ThreadReaper.watch(resources);
    }

    public static ThreadAttachment current() {
        return CURRENT.get();
    }

    public Thread thread() {
        return resources.thread;
    }

    public boolean holdsGil() {
        return depth > 0;
    }

    /** Whether this thread is inside Python work, holding the GIL or having released it for a while. */
    public boolean isInScope() {
        return depth > 0 || detachedScopes > 0;
    }

    RecursionBudget recursionBudget() {
        return recursionBudget;
    }

    /** 64 bytes of native memory private to this thread, for C out-parameters. */
    public long scratch() {
        return resources.scratch;
    }

    /**
     * Reserves {@code slots} pointer-sized cells of native memory, released in LIFO order with
     * {@link #popSlots}. For C arrays that must stay intact while Python runs and may call back into
     * Java (a METH_FASTCALL callee reads its argument array for as long as it runs).
     */
    public long pushSlots(int slots) {
        if (stackTop + slots > STACK_SLOTS) {
            return Native.malloc((long) slots * 8);
        }
        if (resources.stack == 0) {
            resources.stack = Native.malloc(STACK_SLOTS * 8L);
        }
        long address = resources.stack + stackTop * 8L;
        stackTop += slots;
        return address;
    }

    public void popSlots(long address, int slots) {
        long base = resources.stack;
        if (base == 0 || address < base || address >= base + STACK_SLOTS * 8L) {
            Native.free(address);
        } else {
            stackTop -= slots;
        }
    }

    /**
     * Starts collecting the PyObjects that argument conversion creates, for a sync or an async
     * function; returns what to give {@link #closeArgumentScope}. Scopes nest (a converter may run
     * Python code that calls another Java function) and are reused: binding allocates nothing
     * unless it makes PyObjects.
     */
    public int openArgumentScope(boolean async) {
        if (argumentScopes == null || argumentDepth == argumentScopes.length) {
            argumentScopes = java.util.Arrays.copyOf(argumentScopes == null ? new ArgumentScope[0] : argumentScopes,
                    argumentDepth + 4);
        }
        ArgumentScope scope = argumentScopes[argumentDepth];
        if (scope == null) {
            scope = argumentScopes[argumentDepth] = new ArgumentScope();
        }
        scope.async = async;
        return argumentDepth++;
    }

    /** Ends the scope that {@code opened} began; returns the PyObjects it collected, to close after the call. */
    public List<PyObject> closeArgumentScope(int opened) {
        argumentDepth = opened;
        ArgumentScope scope = argumentScopes[opened];
        if (scope.collected.isEmpty()) {
            return List.of();
        }
        List<PyObject> collected = List.copyOf(scope.collected);
        scope.collected.clear();
        return collected;
    }

    /** Whether an async function's arguments are being bound on this thread. */
    public boolean isBindingAsyncArguments() {
        return argumentDepth > 0 && argumentScopes[argumentDepth - 1].async;
    }

    /**
     * The PyObjects one function call's argument binding made, and whether the function is async
     * (Python callables among them then keep the caller's context).
     */
    private static final class ArgumentScope {
        final List<PyObject> collected = new ArrayList<>();
        boolean async;
    }

    /** Records a PyObject made for an argument, if arguments are being bound. */
    public PyObject trackArgument(PyObject object) {
        if (argumentDepth > 0) {
            argumentScopes[argumentDepth - 1].collected.add(object);
        }
        return object;
    }

    /** The token of the outermost scope on this thread (a {@code dev.jawait.Py}), or null. */
    public Object token() {
        return token;
    }

    public void setToken(Object token) {
        this.token = token;
    }

    /** Takes the GIL if this thread does not hold it yet; returns true if it did take it. */
    boolean acquire() {
        if (depth++ > 0) {
            return false;
        }
        Metrics.Sink metrics = Metrics.sink;
        long start = metrics == null ? 0 : System.nanoTime();
        if (threadState == 0) {
            long existing = CPython.PyGILState_GetThisThreadState();
            if (existing != 0) {
                CPython.PyEval_RestoreThread(existing); // a thread state Python made; Python deletes it
            } else {
                CPython.PyGILState_Ensure(); // creates this thread's state, bound to it for good
                resources.ownedThreadState = CPython.PyThreadState_Get();
                recursionBudget = RecursionBudget.fitToCurrentThread();
            }
            threadState = CPython.PyThreadState_Get();
        } else {
            CPython.PyEval_RestoreThread(threadState);
            if (recursionBudget != null) {
                recursionBudget.followLimit();
            }
        }
        if (metrics != null) {
            metrics.gilWaited(System.nanoTime() - start);
        }
        return true;
    }

    /** Undoes {@link #acquire()}; releases the GIL when the outermost scope ends. */
    void release() {
        if (--depth == 0) {
            threadState = CPython.PyEval_SaveThread();
        }
    }

    /** Marks entry into Java from Python: the GIL is held by the caller. Returns the depth to restore. */
    public int enterFromPython() {
        return depth++;
    }

    public void exitFromPython(int savedDepth) {
        depth = savedDepth;
    }

    /** Suspended scope state, returned by {@link #detach()} and given back to {@link #reattach}. */
    public record Suspended(int depth, long threadState) {}

    /** Releases the GIL this thread holds until {@link #reattach}; attach works again meanwhile. */
    public Suspended detach() {
        Suspended suspended = new Suspended(depth, threadState);
        threadState = CPython.PyEval_SaveThread();
        depth = 0;
        detachedScopes++;
        return suspended;
    }

    public void reattach(Suspended suspended) {
        Metrics.Sink metrics = Metrics.sink;
        long start = metrics == null ? 0 : System.nanoTime();
        CPython.PyEval_RestoreThread(threadState);
        if (metrics != null) {
            metrics.gilWaited(System.nanoTime() - start);
        }
        threadState = suspended.threadState();
        depth = suspended.depth();
        detachedScopes--;
    }

    /** Java code to run without the GIL; see {@link #withoutGil}. */
    @FunctionalInterface
    public interface GilFree<E extends Throwable> {
        void run() throws E;
    }

    /**
     * Runs {@code action} with the GIL released if this thread holds it: user Java code (callbacks,
     * cancel hooks, dependent stages) and waits on threads that may need the GIL.
     */
    public <E extends Throwable> void withoutGil(GilFree<E> action) throws E {
        Suspended suspended = holdsGil() ? detach() : null;
        try {
            action.run();
        } finally {
            if (suspended != null) {
                reattach(suspended);
            }
        }
    }

    /** Right after Py_InitializeEx: this thread holds the GIL with the main thread state, which Python owns. */
    void adoptMainThreadState() {
        threadState = CPython.PyThreadState_Get();
        depth = 1;
    }

    /** Right after Py_RunMain, which finalized Python: the main thread state is gone, and the GIL with it. */
    void forgetFinalizedMainThreadState() {
        threadState = 0;
        depth = 0;
    }
}
