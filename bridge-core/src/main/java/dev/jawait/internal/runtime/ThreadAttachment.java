package dev.jawait.internal.runtime;

import com.sun.jna.Native;
import dev.jawait.internal.ffi.CPython;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * What one Java thread knows about its relation to Python's interpreters and their GILs.
 *
 * <p>{@code depth > 0} means this thread holds the GIL of {@link #interpreter()}: inside
 * {@code attach}, or inside a call from Python into Java. A Java thread gets a Python thread state
 * in the main interpreter the first time it attaches and keeps it (creating one per attach costs
 * ~10 us); when the thread ends, {@link ThreadReaper} frees it. In an isolated interpreter its
 * state lives for one outermost scope (see {@link #endScopedState}). Threads created by Python
 * already have a thread state and never get one from here. A thread holds one GIL at a time: to
 * enter another interpreter it leaves the one it is in ({@link #detach}) and comes back after.
 *
 * <p>A virtual thread keeps nothing native between scopes: each outermost scope runs pinned to its
 * carrier and uses the carrier's thread state and scratch memory (see {@link VirtualThreads}).
 */
public final class ThreadAttachment {
    private static final ThreadLocal<ThreadAttachment> CURRENT = ThreadLocal.withInitial(ThreadAttachment::new);
    private static final int SCRATCH_BYTES = 64;
    private static final int STACK_SLOTS = 4096;

    /** Native resources of a thread, freed by {@link ThreadReaper} once the thread has ended. */
    static final class NativeResources {
        final Thread thread;
        final long scratch = Native.malloc(SCRATCH_BYTES);
        long stack;
        /** The Python thread states made for this Java thread, one per interpreter, to free when it ends. */
        final List<Slot> owned = new ArrayList<>(1);

        NativeResources(Thread thread) {
            this.thread = thread;
        }

        void free() {
            Native.free(scratch);
            if (stack != 0) {
                Native.free(stack);
            }
        }
    }

    /** This thread's Python thread state in one interpreter. */
    static final class Slot {
        final Interpreter interpreter;
        /** The thread state to restore when entering the interpreter from depth 0. */
        long threadState;
        /** How deep Python may recurse on this Java thread in this thread state; null for states Python made. */
        RecursionBudget recursionBudget;
        /** A state of this thread's own in an isolated interpreter: it lives for one outermost scope. */
        boolean endsWithScope;
        /** Scopes in this state that {@link #detach} suspended: it must outlive them. */
        int suspendedScopes;

        Slot(Interpreter interpreter, long threadState) {
            this.interpreter = interpreter;
            this.threadState = threadState;
        }
    }

    private final Thread thread = Thread.currentThread();
    private final boolean virtual = VirtualThreads.isVirtual(thread);
    /** A platform thread's own; a virtual thread's carrier's, inside a scope only. */
    private NativeResources resources;
    /** Whether this virtual thread holds the gate of {@link VirtualThreads}: it holds or awaits a GIL. */
    private boolean holdsGate;
    /** Whether this virtual thread runs an outermost scope, pinned to its carrier. */
    private boolean pinned;
    /** The body {@link VirtualThreads#pinned} is about to run on this thread. */
    VirtualThreads.PinnedBody<?> pinnedBody;
    /** This thread's thread states, by interpreter (most often one). */
    private Slot[] slots = new Slot[0];
    /** The slot of the interpreter this thread is in (or was last in); null before any attach. */
    private Slot slot;

    private int depth;
    /** Scopes this thread left with the GIL released ({@link #detach}), to come back to. */
    private int detachedScopes;

    private int stackTop;
    private AttachScope scope;
    /** Argument scopes, reused; the first {@code argumentDepth} are open (see {@link #openArgumentScope}). */
    private ArgumentScope[] argumentScopes;

    private int argumentDepth;

    private ThreadAttachment() {
        if (!virtual) {
            resources = new NativeResources(thread);
            ThreadReaper.watch(resources);
        }
    }

    public static ThreadAttachment current() {
        return CURRENT.get();
    }

    public Thread thread() {
        return thread;
    }

    /**
     * Whether a scope on this thread must run through {@link #pinnedScope}: the thread is virtual and
     * not yet pinned.
     */
    public boolean needsPinning() {
        return virtual && !pinned;
    }

    /**
     * Runs {@code scope}, an outermost scope of this virtual thread, once it has passed the gate and
     * pinned to its carrier (see {@link VirtualThreads}).
     */
    public <T> T pinnedScope(Supplier<T> scope) {
        VirtualThreads.enterGate();
        holdsGate = true;
        pinned = true;
        try {
            return VirtualThreads.pinned(this, scope);
        } finally {
            pinned = false;
            leaveGate();
        }
    }

    private void leaveGate() {
        if (holdsGate) {
            holdsGate = false;
            VirtualThreads.leaveGate();
        }
    }

    /** Whether this thread holds a GIL (that of {@link #interpreter()}). */
    public boolean holdsGil() {
        return depth > 0;
    }

    /** Whether this thread is inside Python work, holding the GIL or having released it for a while. */
    public boolean isInScope() {
        return depth > 0 || detachedScopes > 0;
    }

    RecursionBudget recursionBudget() {
        Slot current = slot;
        return current != null ? current.recursionBudget : null;
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
            argumentScopes =
                    Arrays.copyOf(argumentScopes == null ? new ArgumentScope[0] : argumentScopes, argumentDepth + 4);
        }
        ArgumentScope scope = argumentScopes[argumentDepth];
        if (scope == null) {
            scope = argumentScopes[argumentDepth] = new ArgumentScope();
        }
        scope.async = async;
        return argumentDepth++;
    }

    /** Ends the scope that {@code opened} began; returns the claims of the PyObjects it collected, to close after the call. */
    public List<ReferenceClaim> closeArgumentScope(int opened) {
        argumentDepth = opened;
        ArgumentScope scope = argumentScopes[opened];
        if (scope.collected.isEmpty()) {
            return List.of();
        }
        List<ReferenceClaim> collected = List.copyOf(scope.collected);
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
        final List<ReferenceClaim> collected = new ArrayList<>();
        boolean async;
    }

    /** Records the claim of a PyObject made for an argument, if arguments are being bound. */
    public void trackArgument(ReferenceClaim claim) {
        if (argumentDepth > 0) {
            argumentScopes[argumentDepth - 1].collected.add(claim);
        }
    }

    /** The outermost attach scope on this thread, or null. */
    public AttachScope scope() {
        return scope;
    }

    public void setScope(AttachScope scope) {
        this.scope = scope;
    }

    /**
     * The interpreter whose GIL this thread holds; outside a scope, the main one, or the last one it
     * held a kept thread state in. A thread that Python called into knows it from {@link #enterFromPython}.
     */
    public Interpreter interpreter() {
        Slot current = slot;
        return current != null ? current.interpreter : Interpreter.main();
    }

    /**
     * Takes {@code interpreter}'s GIL if this thread holds no GIL yet, else nests in the one it
     * holds, which must be the same; returns true if it did take the GIL.
     */
    boolean acquire(Interpreter interpreter) {
        if (depth++ > 0) {
            if (slot.interpreter != interpreter) {
                depth--;
                throw new IllegalStateException("this thread holds the GIL of " + slot.interpreter + ", not of "
                        + interpreter + ": leave it first (detach)");
            }
            return false;
        }
        Metrics.Sink metrics = Metrics.sink;
        long start = metrics == null ? 0 : System.nanoTime();
        Slot found = slotOf(interpreter);
        if (virtual) {
            found = enterCarrier(interpreter, found);
        }
        if (found != null) {
            slot = found;
            CPython.PyEval_RestoreThread(found.threadState);
            if (found.recursionBudget != null) {
                found.recursionBudget.followLimit();
            }
        } else {
            slot = newSlot(interpreter); // holding its GIL
        }
        if (metrics != null) {
            metrics.gilWaited(System.nanoTime() - start);
        }
        return true;
    }

    /**
     * A pinned virtual thread about to take {@code interpreter}'s GIL: passes the gate and takes its
     * carrier's resources; returns the slot to resume, the carrier's state in the main interpreter
     * unless {@code found} (a scope this thread suspended) is given.
     */
    private Slot enterCarrier(Interpreter interpreter, Slot found) {
        if (!holdsGate) { // inside a detach: pinned already
            VirtualThreads.enterGate();
            holdsGate = true;
        }
        VirtualThreads.Carrier carrier = VirtualThreads.carrier();
        resources = carrier.resources;
        if (found != null || interpreter.isIsolated()) {
            return found;
        }
        Slot main = carrier.main;
        return main != null && main.interpreter == interpreter ? main : null;
    }

    private Slot slotOf(Interpreter interpreter) {
        Slot current = slot;
        if (current != null && current.interpreter == interpreter) {
            return current;
        }
        for (Slot s : slots) {
            if (s.interpreter == interpreter) {
                return s;
            }
        }
        return null;
    }

    /**
     * This thread's first entry into {@code interpreter}: a thread state of Python's making if it has
     * one there (a thread Python started), else a new one, which this thread owns. Returns holding
     * the interpreter's GIL.
     */
    private Slot newSlot(Interpreter interpreter) {
        long threadState;
        long existing = interpreter.isIsolated() ? 0 : CPython.PyGILState_GetThisThreadState();
        if (existing != 0 && CPython.PyThreadState_GetInterpreter(existing) == interpreter.address()) {
            CPython.PyEval_RestoreThread(existing); // a thread state Python made; Python deletes it
            Slot made = new Slot(interpreter, existing);
            keep(made);
            return made;
        }
        if (!interpreter.isIsolated() && existing == 0) {
            CPython.PyGILState_Ensure(); // creates this thread's state, bound to it for good
            threadState = CPython.PyThreadState_Get();
        } else { // an isolated interpreter, or this thread's PyGILState state is in another: a state of its own here
            threadState = CPython.PyThreadState_New(interpreter.address());
            if (interpreter.isIsolated()) {
                interpreter.trackJavaThreadState(threadState);
            }
            CPython.PyEval_RestoreThread(threadState);
        }
        Slot created = new Slot(interpreter, threadState);
        created.recursionBudget = RecursionBudget.fitToCurrentThread();
        if (interpreter.isIsolated()) {
            created.endsWithScope = true;
        } else {
            if (!virtual) {
                resources.owned.add(new Slot(interpreter, threadState));
            }
            keep(created);
        }
        return created;
    }

    /** Keeps a state in the main interpreter for later scopes: a platform thread's own, or its carrier's. */
    private void keep(Slot kept) {
        if (virtual) {
            VirtualThreads.carrier().main = kept;
        } else {
            addSlot(kept);
        }
    }

    private void addSlot(Slot added) {
        slots = dropEnded(slots);
        slots = Arrays.copyOf(slots, slots.length + 1);
        slots[slots.length - 1] = added;
    }

    /** The slots of interpreters still running: an ended interpreter freed their thread states. */
    private static Slot[] dropEnded(Slot[] all) {
        int running = 0;
        for (Slot s : all) {
            running += s.interpreter.state() == Interpreter.State.CLOSED ? 0 : 1;
        }
        if (running == all.length) {
            return all;
        }
        Slot[] kept = new Slot[running];
        int i = 0;
        for (Slot s : all) {
            if (s.interpreter.state() != Interpreter.State.CLOSED) {
                kept[i++] = s;
            }
        }
        return kept;
    }

    /** Forgets this thread's state in {@code interpreter}, which is about to be deleted on this thread. */
    void forget(Interpreter interpreter) {
        if (resources != null) {
            resources.owned.removeIf(s -> s.interpreter == interpreter);
        }
        slots = Arrays.stream(slots).filter(s -> s.interpreter != interpreter).toArray(Slot[]::new);
        if (slot != null && slot.interpreter == interpreter) {
            slot = null;
        }
    }

    /** Undoes {@link #acquire}; releases the GIL when the outermost scope ends. */
    void release() {
        Slot left = slot;
        if (depth == 1 && left.endsWithScope && left.suspendedScopes == 0) {
            endScopedState(left);
            depth = 0;
        } else if (--depth == 0) {
            left.threadState = CPython.PyEval_SaveThread();
        } else {
            return;
        }
        if (virtual) {
            leaveCarrier();
        }
    }

    /** A virtual thread has released the GIL: others may pass the gate, and outside any scope it may move. */
    private void leaveCarrier() {
        leaveGate();
        if (detachedScopes == 0) {
            slot = null;
            resources = null;
        }
    }

    /**
     * Deletes this thread's state in an isolated interpreter as its outermost scope ends. On CPython
     * 3.12+ a thread's PyGILState binding follows the last state it made current and stays when the
     * GIL is released; had the state outlived the scope, the interpreter's close (on another thread)
     * would free it with this thread still bound to it, and this thread's next entry into any
     * interpreter would write to freed memory. Deleting it here, as the current state, unbinds it.
     */
    private void endScopedState(Slot left) {
        CPython.PyThreadState_Clear(left.threadState); // may run finalizers, which may call Java: still in scope
        left.interpreter.untrackJavaThreadState(left.threadState);
        CPython.PyThreadState_DeleteCurrent(); // releases the GIL
        slot = null;
    }

    /**
     * Marks entry into Java from Python: the GIL of the interpreter running that code is held.
     * Returns the depth to restore; an entry from depth 0 finds out which interpreter it is.
     */
    public int enterFromPython() {
        if (depth == 0) {
            Interpreter interpreter = Interpreter.ofRunningCode();
            if (slot == null || slot.interpreter != interpreter) {
                Slot found = slotOf(interpreter);
                slot = found != null ? found : new Slot(interpreter, 0); // a state Python made; Python deletes it
            }
        }
        return depth++;
    }

    public void exitFromPython(int savedDepth) {
        depth = savedDepth;
    }

    /** Suspended scope state, returned by {@link #detach()} and given back to {@link #reattach}. */
    public record Suspended(int depth, Slot slot, long threadState) {}

    /** Releases the GIL this thread holds until {@link #reattach}; attach works again meanwhile, in any interpreter. */
    public Suspended detach() {
        long threadState = CPython.PyEval_SaveThread();
        // An attach meanwhile resumes this state: a thread Python made entered with its state unknown (0).
        slot.threadState = threadState;
        slot.suspendedScopes++;
        Suspended suspended = new Suspended(depth, slot, threadState);
        depth = 0;
        detachedScopes++;
        leaveGate();
        return suspended;
    }

    public void reattach(Suspended suspended) {
        Metrics.Sink metrics = Metrics.sink;
        long start = metrics == null ? 0 : System.nanoTime();
        if (virtual && !holdsGate) {
            VirtualThreads.enterGate();
            holdsGate = true;
        }
        CPython.PyEval_RestoreThread(suspended.threadState());
        if (metrics != null) {
            metrics.gilWaited(System.nanoTime() - start);
        }
        slot = suspended.slot();
        slot.suspendedScopes--;
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
    void adoptMainThreadState(Interpreter main) {
        adoptThreadState(main, CPython.PyThreadState_Get());
    }

    /** This thread holds {@code interpreter}'s GIL with {@code threadState}, which it did not make through here. */
    void adoptThreadState(Interpreter interpreter, long threadState) {
        slot = new Slot(interpreter, threadState);
        slots = Arrays.copyOf(slots, slots.length + 1);
        slots[slots.length - 1] = slot;
        depth = 1;
    }

    /** Right after Py_RunMain, which finalized Python: the main thread state is gone, and the GIL with it. */
    void forgetFinalizedMainThreadState() {
        slots = new Slot[0];
        slot = null;
        depth = 0;
    }
}
