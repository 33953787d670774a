package dev.jawait.internal.runtime;

import dev.jawait.PythonStartupException;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.CommandLineStart;
import dev.jawait.internal.ffi.LibC;
import dev.jawait.internal.ffi.VersionSpecific;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One CPython interpreter of this JVM: the main one, started once, or an isolated one (CPython
 * 3.12+, PEP 684: its own GIL and object allocator) made from it. Holds its lifecycle, its GIL
 * scopes, and what jawait keeps per interpreter: {@link InterpreterLocal} values (looked-up
 * callables, interned names, the JavaObject type) and the decrefs deferred until a thread next
 * takes its GIL.
 *
 * <p>The main interpreter starts and finalizes on a dedicated daemon thread, which Python therefore
 * sees as its main thread. Embedded ({@link #start}), signals stay with the JVM unless the settings
 * give Python SIGINT; as a program ({@link #runMain}), Python starts from a command line and handles
 * signals as the python command does (see {@link SignalForwarding}). Each isolated interpreter
 * likewise begins and ends on a daemon thread of its own (threading expects the thread that ends an
 * interpreter to be the one that began it), and Java threads keep a thread state in it only for
 * the length of a scope (see {@link ThreadAttachment}), so that ending it leaves no thread bound to
 * a freed state.
 */
public final class Interpreter {
    public enum State {
        RUNNING,
        CLOSING,
        CLOSED
    }

    /** Stack size of the threads jawait creates to run Python (deep recursion, pytest). */
    public static final long PYTHON_THREAD_STACK = 32L << 20;

    /** Guards start-up, the registry and each interpreter's change of state. */
    private static final Object START_LOCK = InterpreterRegistry.LOCK;
    /** Whether Python took its object memory from the C allocator (PYTHONMALLOC=malloc) rather than pymalloc. */
    private static boolean objectsFromMalloc;

    private final PythonInstallation installation;
    private final int index;
    private final String name;
    private final boolean isolated;
    /** How signals reach Python: the main interpreter's; isolated interpreters take none. */
    private final SignalForwarding.Mode signalMode;

    private SignalForwarding signals;
    /**
     * The thread that starts and ends this interpreter, Python's "main thread" of it: CPython's
     * threading module expects the thread that ends an interpreter to be the one that began it.
     */
    private final ExecutorService mainThread;

    private final AtomicInteger openScopes = new AtomicInteger();
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
    private final List<Interpreter> isolatedChildren = new CopyOnWriteArrayList<>();
    /** Completed once this isolated interpreter has ended (or failed to). */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private final ReferencePool deferredDecrefs = new ReferencePool();
    /** Thread states jawait made in an isolated interpreter, which must all go before it ends. */
    private final Set<Long> javaThreadStates = new LinkedHashSet<>(); // guarded by itself

    private volatile State state = State.RUNNING;
    /** The {@code PyInterpreterState *}. */
    private long address;
    /**
     * An isolated interpreter's first thread state, kept unused until it ends the interpreter: its
     * thread states never all go before that (3.12 reuses the memory of an interpreter's first
     * thread state for the next one it makes when it has none, without resetting it).
     */
    private long initialThreadState;
    /** What jawait keeps here: {@link InterpreterLocal} values and {@link PyFunctionRef} callables. */
    final InterpreterStorage storage = new InterpreterStorage();

    private volatile boolean bootstrapped;
    /** Whether this main interpreter imported {@code _datetime} for its isolated ones; guarded by its GIL. */
    private boolean datetimeTypesShared;

    private Interpreter(
            PythonInstallation installation,
            int index,
            String name,
            boolean isolated,
            SignalForwarding.Mode signalMode) {
        this.installation = installation;
        this.index = index;
        this.name = name;
        this.isolated = isolated;
        this.signalMode = signalMode;
        String threadName = isolated ? "jawait-" + name + "-main" : "jawait-python-main";
        this.mainThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(null, task, threadName, PYTHON_THREAD_STACK);
            thread.setDaemon(true);
            return thread;
        });
    }

    // ---- the main interpreter ------------------------------------------------------------------------

    /**
     * Starts the main interpreter; {@code bootstrap} runs on Python's main thread with the GIL held,
     * right after Py_InitializeEx. The environment of {@code settings} is set before.
     */
    public static Interpreter start(
            PythonInstallation installation, StartupSettings settings, Consumer<Interpreter> bootstrap) {
        synchronized (START_LOCK) {
            checkNotStarted();
            SignalForwarding.Mode signals =
                    settings.pythonHandlesSignals() ? SignalForwarding.Mode.PYTHON : SignalForwarding.Mode.JVM;
            Interpreter interpreter = new Interpreter(installation, 0, "main", false, signals);
            // a failed start is not retried: libpython may be half initialized
            InterpreterRegistry.registerMain(interpreter);
            try {
                interpreter.onMainThread(() -> interpreter.initialize(
                        settings,
                        () -> {
                            CPython.Py_InitializeEx(signals == SignalForwarding.Mode.JVM ? 0 : 1);
                            return new CommandLineStart.Outcome.Started();
                        },
                        bootstrap));
            } catch (RuntimeException | Error e) {
                interpreter.closed();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(interpreter::flushAtJvmExit, "jawait-python-exit"));
            return interpreter;
        }
    }

    /**
     * Starts Python from {@code commandLine} as the python command does (its options parsed by
     * CPython, its signal handling), runs {@code bootstrap} on Python's main thread, then the program
     * the command line names ({@code Py_RunMain}), which ends by finalizing Python. Returns the exit
     * status: the program's, or Python's own for an option that ends it at start-up ({@code -V}, an
     * unknown option). An uncaught KeyboardInterrupt ends the process by SIGINT, as in the python command.
     *
     * @throws PythonStartupException if Python cannot start, or was already started in this JVM
     */
    public static int runMain(
            PythonInstallation installation,
            StartupSettings settings,
            List<String> commandLine,
            Consumer<Interpreter> bootstrap) {
        Interpreter interpreter;
        synchronized (START_LOCK) {
            checkNotStarted();
            interpreter = new Interpreter(installation, 0, "main", false, SignalForwarding.Mode.COMMAND);
            // a failed start is not retried: libpython may be half initialized
            InterpreterRegistry.registerMain(interpreter);
            CommandLineStart.Outcome outcome;
            try {
                outcome = interpreter.onMainThread(() -> interpreter.initialize(
                        settings,
                        () -> CommandLineStart.initialize(
                                commandLine,
                                Charset.forName(System.getProperty(
                                        "sun.jnu.encoding",
                                        Charset.defaultCharset().name()))),
                        bootstrap));
            } catch (RuntimeException | Error e) {
                interpreter.closed();
                throw e;
            }
            if (outcome instanceof CommandLineStart.Outcome.Exited exited) {
                interpreter.closed();
                return exited.status();
            }
            if (outcome instanceof CommandLineStart.Outcome.Failed failed) {
                interpreter.closed();
                throw new PythonStartupException("Python " + installation.version() + " (" + installation.executable()
                        + ") could not start: " + failed.function() + ": " + failed.message());
            }
        }
        return interpreter.onMainThread(interpreter::runProgram);
    }

    private static void checkNotStarted() {
        Interpreter current = InterpreterRegistry.main();
        if (current != null) {
            throw new PythonStartupException("Python " + current.installation.version() + " ("
                    + current.installation.executable() + ") was already started in this JVM"
                    + (current.state == State.RUNNING ? "" : " and has been closed")
                    + "; jawait runs one main interpreter per JVM: use Python.get() to share it"
                    + (current.installation.minor() >= 12 ? ", and isolated interpreters for more" : "") + ".");
        }
    }

    private CommandLineStart.Outcome initialize(
            StartupSettings settings, Supplier<CommandLineStart.Outcome> startPython, Consumer<Interpreter> bootstrap) {
        CPython.bind(
                installation.libpython().toString(),
                installation.minor(),
                installation.debugBuild(),
                installation.freeThreaded());
        if (CPython.Py_IsInitialized() != 0) {
            throw new PythonStartupException("libpython " + installation.libpython()
                    + " is already initialized in this process by someone other than jawait.");
        }
        settings.environment().forEach(LibC::setEnvironment); // before Python reads PYTHON* variables and os.environ
        VersionSpecific.configureStartup(installation.executable().toString(), installation.basePrefix());
        String allocator = LibC.environment("PYTHONMALLOC");
        if (allocator == null && installation.minor() == 12 && installation.micro() < 4) {
            // These versions' isolated interpreters crash the process at exit under pymalloc (see newIsolated).
            allocator = "malloc";
            LibC.setEnvironment("PYTHONMALLOC", allocator);
            System.getLogger(Interpreter.class.getName())
                    .log(
                            System.Logger.Level.DEBUG,
                            "CPython {0}: PYTHONMALLOC="
                                    + "malloc, so that isolated interpreters can end safely (CPython gh-119213, fixed in 3.12.4)",
                            installation.version());
        }
        objectsFromMalloc = allocator != null && allocator.startsWith("malloc");
        signals = SignalForwarding.prepare(signalMode);
        CommandLineStart.Outcome outcome = startPython.get();
        if (!(outcome instanceof CommandLineStart.Outcome.Started)) {
            return outcome;
        }
        ThreadAttachment thread = ThreadAttachment.current();
        thread.adoptMainThreadState(this);
        address = CPython.PyInterpreterState_Get();
        VersionSpecific.checkNumberLayouts();
        ToPython.cacheSmallInts();
        try {
            signals.start();
            bootstrap.accept(this);
        } finally {
            thread.release();
        }
        return outcome;
    }

    /** On Python's main thread: the program, then finalization (see {@link #prepareFinalization}). */
    private int runProgram() {
        ThreadAttachment thread = ThreadAttachment.current();
        thread.acquire(this);
        int status = CPython.Py_RunMain();
        thread.forgetFinalizedMainThreadState();
        closed();
        return status;
    }

    private void closed() {
        state = State.CLOSED;
        mainThread.shutdown();
    }

    /** Whether Python runs a program ({@link #runMain}), which finalizes Python when it ends. */
    public boolean runsProgram() {
        return signalMode == SignalForwarding.Mode.COMMAND;
    }

    /** How signals reach Python's handlers; {@code _jawait} exposes it to {@code jawait/_signals.py}. */
    public SignalForwarding signals() {
        return signals;
    }

    /** The main interpreter, or null before Python starts. */
    public static Interpreter main() {
        return InterpreterRegistry.main();
    }

    // ---- isolated interpreters ------------------------------------------------------------------------

    /**
     * Makes an isolated interpreter (CPython 3.12+) and runs {@code bootstrap} in it with its GIL
     * held, on a thread of jawait's own.
     *
     * @throws UnsupportedOperationException before CPython 3.12
     */
    public Interpreter newIsolated(Consumer<Interpreter> bootstrap) {
        if (isolated) {
            throw new IllegalStateException("isolated interpreters are made from the main interpreter");
        }
        if (installation.minor() < 12) {
            throw new UnsupportedOperationException("isolated interpreters need CPython 3.12 or newer, with their own "
                    + "GIL (PEP 684); this is Python " + installation.version() + ". Use the main interpreter (one "
                    + "GIL shared by every thread), or run Python 3.12+.");
        }
        if (installation.minor() == 12 && installation.micro() < 4 && !objectsFromMalloc) {
            // An isolated interpreter fills process-wide argument-parser caches with objects from its own
            // pymalloc arenas, which the main interpreter frees with its own at exit: a native crash.
            throw new UnsupportedOperationException("isolated interpreters on CPython " + installation.version()
                    + " crash the process at exit with pymalloc (CPython issue gh-119213, fixed in 3.12.4), which "
                    + "PYTHONMALLOC chose. Run CPython 3.12.4+ or 3.13+, or leave PYTHONMALLOC unset (jawait then "
                    + "picks the C allocator on these versions) or set it to malloc.");
        }
        if (installation.minor() == 13) {
            importDatetimeTypes();
        }
        Interpreter child;
        synchronized (START_LOCK) {
            if (state != State.RUNNING) {
                throw new IllegalStateException("cannot make an isolated interpreter: Python is " + describeState());
            }
            int slot = InterpreterRegistry.freeIndex();
            child = new Interpreter(installation, slot, "isolated-" + slot, true, null);
            InterpreterRegistry.registerIsolated(child, slot);
            isolatedChildren.add(child);
        }
        try {
            // Waited for without the caller's GIL: CPython 3.13 initializes some extension modules of a
            // new interpreter under the main interpreter's GIL, which a caller inside attach holds.
            ThreadAttachment.current()
                    .withoutGil(() -> child.onMainThread(() -> {
                        long threadState = VersionSpecific.newIsolatedInterpreter(); // current, holding its new GIL
                        child.address = CPython.PyThreadState_GetInterpreter(threadState);
                        child.initialThreadState = threadState;
                        ThreadAttachment thread = ThreadAttachment.current();
                        thread.adoptThreadState(child, threadState);
                        try {
                            bootstrap.accept(child);
                        } finally {
                            thread.release();
                            thread.forget(child); // the state stays, unused until the interpreter ends with it
                        }
                        return null;
                    }));
        } catch (RuntimeException | Error e) {
            child.closeIsolated();
            throw e;
        }
        return child;
    }

    /**
     * Imports {@code _datetime} in this main interpreter before any isolated one can (CPython 3.13).
     * Its five C-API types are static, shared by every interpreter (CPython gh-136421 and
     * gh-136423; 3.14 sets them up at start-up): the first interpreter to import it makes their
     * base and MRO tuples with its own allocator, and the last one to let go of them frees them.
     * When the first to import is one isolated interpreter and the last to end another (as with two
     * verticle instances that import sqlite3, asyncio's sibling packages or anything using datetime),
     * the last frees the other's memory as its own when it ends: glibc aborts the process
     * ({@code munmap_chunk(): invalid pointer}). Imported here first, they belong to the main
     * interpreter, which ends after every isolated one.
     */
    private void importDatetimeTypes() {
        if (state != State.RUNNING) {
            return; // shutting down: newIsolated refuses
        }
        Gil.call(
                this,
                () -> { // not tryEnter: the caller may be a virtual thread, or in another interpreter
                    if (!datetimeTypesShared) {
                        long module = CPython.PyImport_ImportModule("_datetime");
                        if (module == 0) {
                            CPython.PyErr_Clear(); // a Python without it: no isolated interpreter can import it either
                        } else {
                            CPython.Py_DecRef(module);
                        }
                        datetimeTypesShared = true;
                    }
                    return null;
                });
    }

    /** The interpreter running the Python code that called into Java on this thread (GIL held). */
    static Interpreter ofRunningCode() {
        return InterpreterRegistry.ofRunningCode();
    }

    public String name() {
        return name;
    }

    public boolean isIsolated() {
        return isolated;
    }

    /** The {@code PyInterpreterState *}. */
    public long address() {
        return address;
    }

    public PythonInstallation installation() {
        return installation;
    }

    public State state() {
        return state;
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }

    String describeState() {
        return state == State.CLOSING ? "shutting down" : state == State.CLOSED ? "closed" : "running";
    }

    /** Whether jawait's Python side is set up here (before that, errors are described minimally). */
    public boolean isBootstrapped() {
        return bootstrapped;
    }

    public void bootstrapped() {
        bootstrapped = true;
    }

    /**
     * Gives back the references jawait keeps in this interpreter ({@link InterpreterStorage#release}),
     * so that the objects they reach are freed when it ends. GIL held. What else it keeps
     * there stays until the end: the module registry (the import hook asks it for every import, up
     * to the end of module teardown, where code may still import) and the handle table (JavaObjects
     * freed in that teardown look their Java objects up). Errors from then on are described without
     * jawait's Python helpers.
     */
    private void releaseKeptReferences() {
        bootstrapped = false;
        storage.release();
    }

    /**
     * What {@code Py_EndInterpreter} runs first, run before jawait lets go of the interpreter (so
     * that jawait still serves that code in full), in CPython's order: the wait for its non-daemon
     * threads ({@code threading._shutdown}), then its atexit callbacks, which weakref.finalize,
     * concurrent.futures and programs register. {@code Py_EndInterpreter} then finds both done.
     * 3.12's {@code threading._shutdown} cannot run twice in an isolated interpreter (it asserts that
     * its main thread's lock is still held), so there it is left to {@code Py_EndInterpreter}, after
     * the atexit callbacks. GIL held, on the interpreter's own main thread.
     */
    private void runExitHandlers() {
        if (installation.minor() >= 13) {
            callAtEnd("threading", "_shutdown");
        }
        callAtEnd("atexit", "_run_exitfuncs"); // reports a failing callback itself, as CPython does at exit
    }

    private static void callAtEnd(String moduleName, String functionName) {
        long module = CPython.PyImport_ImportModule(moduleName);
        long function = module == 0 ? 0 : CPython.PyObject_GetAttr(module, PyStrings.intern(functionName));
        long result = function == 0 ? 0 : CPython.PyObject_CallNoArgs(function);
        if (result == 0) {
            CPython.PyErr_WriteUnraisable(
                    function); // "Exception ignored in: <function _shutdown>", as CPython prints it
        }
        for (long o : new long[] {result, function, module}) {
            if (o != 0) {
                CPython.Py_DecRef(o);
            }
        }
    }

    // ---- GIL scopes --------------------------------------------------------------------------------------

    /**
     * Takes this interpreter's GIL for the calling thread (re-entrant). Returns false, taking
     * nothing, when this interpreter is shutting down or closed and the thread is not already in
     * it. A thread in another interpreter leaves it first ({@link ThreadAttachment#detach}). A
     * virtual thread must be pinned first ({@link ThreadAttachment#pinnedScope}, as {@link Gil#call} does).
     */
    public boolean tryEnter(ThreadAttachment attachment) {
        if (attachment.needsPinning()) {
            throw new IllegalStateException("a virtual thread entered Python unpinned: enter through Gil.call");
        }
        if (attachment.holdsGil()) {
            attachment.acquire(this);
            return true;
        }
        openScopes.incrementAndGet();
        if (state != State.RUNNING) {
            exitScope();
            return false;
        }
        attachment.acquire(this);
        drainDeferred();
        return true;
    }

    /** Ends a scope begun by a successful {@link #tryEnter}. */
    public void exit(ThreadAttachment attachment) {
        attachment.release();
        if (!attachment.holdsGil()) {
            exitScope();
        }
    }

    private void exitScope() {
        if (openScopes.decrementAndGet() == 0 && state != State.RUNNING) {
            synchronized (openScopes) {
                openScopes.notifyAll();
            }
        }
    }

    // ---- references and thread states ------------------------------------------------------------------

    /** Releases a reference of this interpreter's later, when a thread next takes its GIL. Any thread. */
    public void deferDecref(long object) {
        deferredDecrefs.defer(object);
    }

    /** Runs the deferred decrefs; the caller holds this interpreter's GIL. Cheap when there are none. */
    public void drainDeferred() {
        if (state == State.CLOSED) {
            return; // finalization already released everything these addresses pointed to
        }
        deferredDecrefs.drain();
    }

    /** A Java thread made {@code threadState} in this isolated interpreter; it must go before the interpreter ends. */
    void trackJavaThreadState(long threadState) {
        synchronized (javaThreadStates) {
            javaThreadStates.add(threadState);
        }
    }

    void untrackJavaThreadState(long threadState) {
        synchronized (javaThreadStates) {
            javaThreadStates.remove(threadState);
        }
    }

    /**
     * Frees the thread states of Java threads that ended, from a thread of jawait's own that holds
     * none of them. CPython 3.12+ unbinds the calling thread's PyGILState state when it deletes a
     * thread state that PyGILState made (as it did each Java thread's), so this thread works under a
     * throwaway thread state: every state is cleared (which may run Python finalizers) while that
     * binding is still intact, then deleted (which runs no Python code), and the throwaway last.
     * Does nothing once this interpreter is shutting down: its end frees every thread state.
     */
    void freeThreadStates(long[] threadStates) {
        openScopes.incrementAndGet();
        try {
            if (state != State.RUNNING) {
                return;
            }
            synchronized (javaThreadStates) {
                for (long threadState : threadStates) {
                    javaThreadStates.remove(threadState);
                }
            }
            long own = CPython.PyThreadState_New(address);
            CPython.PyEval_RestoreThread(own);
            for (long threadState : threadStates) {
                CPython.PyThreadState_Clear(threadState);
            }
            for (long threadState : threadStates) {
                CPython.PyThreadState_Delete(threadState);
            }
            CPython.PyThreadState_Clear(own);
            CPython.PyThreadState_DeleteCurrent();
        } finally {
            exitScope();
        }
    }

    // ---- threads ------------------------------------------------------------------------------------------

    /** Runs {@code task} on this interpreter's main thread and waits for it. */
    public <T> T onMainThread(Callable<T> task) {
        return waitFor(mainThread.submit(task), "Python's main thread");
    }

    private static <T> T waitFor(Future<T> future, String what) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the work has started; it must finish before Python is usable
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- closing --------------------------------------------------------------------------------------------

    /** Runs before shutdown waits for open scopes: stops what would otherwise keep one open (loop threads). */
    public void addCloseHook(Runnable hook) {
        closeHooks.add(hook);
    }

    public void removeCloseHook(Runnable hook) {
        closeHooks.remove(hook);
    }

    /**
     * Shuts this interpreter down once nothing runs in it: refuses new scopes, stops jawait's loop
     * threads, waits for open scopes to end, then finalizes (the main interpreter ends its isolated
     * ones first). Called from a thread that is itself inside Python work with the GIL released (a
     * future's callback or a cancel hook that jawait runs on a loop thread, a {@code py.detach}
     * block), it cannot wait for its own scope: it starts the shutdown, which a thread of jawait's
     * finishes once that scope ends.
     */
    public void close() {
        ThreadAttachment caller = ThreadAttachment.current();
        synchronized (START_LOCK) {
            if (state != State.RUNNING || runsProgram()) { // a program's end shuts Python down
                return;
            }
            if (caller.holdsGil() && caller.interpreter() == this) {
                throw new IllegalStateException("Python.close() called while this thread is attached to " + what()
                        + "; call it outside attach(...) and outside functions called from Python.");
            }
            state = State.CLOSING;
        }
        for (Runnable hook : closeHooks) {
            hook.run();
        }
        if (caller.isInScope()) {
            Thread finisher = new Thread(this::finishClose, "jawait-python-close");
            finisher.setDaemon(true);
            finisher.start();
        } else {
            finishClose();
        }
    }

    /** "Python" or "the isolated interpreter isolated-1", for messages. */
    String what() {
        return isolated ? "the isolated interpreter " + name : "Python";
    }

    /** Waits for open scopes to end, then finalizes. */
    private void finishClose() {
        awaitNoScopes();
        if (isolated) {
            closeIsolated();
            return;
        }
        closeIsolatedChildren();
        signals.stop();
        onMainThread(() -> {
            ThreadAttachment thread = ThreadAttachment.current();
            thread.acquire(this);
            drainDeferred();
            CPython.Py_FinalizeEx(); // runs atexit handlers and joins non-daemon Python threads
            return null;
        });
        signals.restoreJvmHandlers();
        closed();
    }

    private void closeIsolatedChildren() {
        List<Interpreter> children = new ArrayList<>(isolatedChildren);
        for (Interpreter child : children) {
            child.close(); // each waits for its own work: a thread inside one leaves the main interpreter alone
        }
        for (Interpreter child : children) {
            child.ended.join(); // also one whose close began elsewhere (close returns at once then)
        }
    }

    /**
     * When a program ends ({@link #runMain}), from its last atexit handler (so on Python's main
     * thread, before Python is marked finalizing, with the GIL released): what {@link #close} does
     * before it finalizes. New scopes are refused, signals are no longer passed on, jawait's loop
     * threads stop, Java threads still in Python are waited for (none may be in Python once
     * finalization starts, as CPython ends a thread that takes the GIL after that, which a JVM thread
     * does not survive), and isolated interpreters end.
     */
    public void prepareFinalization() {
        synchronized (START_LOCK) {
            if (state != State.RUNNING) {
                return;
            }
            state = State.CLOSING;
        }
        signals.stop();
        for (Runnable hook : closeHooks) {
            hook.run();
        }
        awaitNoScopes();
        closeIsolatedChildren();
    }

    private void awaitNoScopes() {
        synchronized (openScopes) {
            while (openScopes.get() > 0) {
                try {
                    openScopes.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Python work to finish", e);
                }
            }
        }
    }

    /**
     * Ends an isolated interpreter on a thread of jawait's own: {@code Py_EndInterpreter} needs its
     * thread state to be the interpreter's last, so the states Java threads made in it go first.
     */
    private void closeIsolated() {
        state = State.CLOSING;
        try {
            endIsolated();
        } finally {
            ended.complete(null);
        }
    }

    private void endIsolated() {
        if (main().state != State.CLOSED) {
            // On its own main thread, after its start (a close may come while it starts).
            ThreadAttachment.current()
                    .withoutGil(() -> onMainThread(() -> {
                        long own = initialThreadState;
                        if (own == 0) { // its start failed before it had one
                            return null;
                        }
                        CPython.PyEval_RestoreThread(own);
                        drainDeferred();
                        runExitHandlers();
                        releaseKeptReferences();
                        List<Long> others;
                        synchronized (javaThreadStates) {
                            others = new ArrayList<>(javaThreadStates);
                            javaThreadStates.clear();
                        }
                        for (long threadState : others) {
                            CPython.PyThreadState_Clear(threadState);
                        }
                        for (long threadState : others) {
                            CPython.PyThreadState_Delete(threadState);
                        }
                        CPython.Py_EndInterpreter(
                                own); // runs atexit handlers, joins its threads; leaves no thread state
                        return null;
                    }));
        }
        mainThread.shutdown();
        state = State.CLOSED;
        synchronized (START_LOCK) {
            InterpreterRegistry.remove(index);
            main().isolatedChildren.remove(this);
        }
    }

    /** JVM exit with Python still running: flush Python's buffered output if the GIL can be had soon. */
    private void flushAtJvmExit() {
        if (state != State.RUNNING) {
            return;
        }
        Thread flusher = new Thread(
                () -> {
                    ThreadAttachment attachment = ThreadAttachment.current();
                    if (tryEnter(attachment)) {
                        try {
                            CPython.PyErr_Clear();
                            long sys = CPython.PyImport_ImportModule("sys");
                            for (String stream : new String[] {"stdout", "stderr"}) {
                                long file = sys == 0 ? 0 : CPython.PyObject_GetAttr(sys, PyStrings.intern(stream));
                                long flush = file == 0 ? 0 : CPython.PyObject_GetAttr(file, PyStrings.intern("flush"));
                                long result = flush == 0 ? 0 : CPython.PyObject_CallNoArgs(flush);
                                for (long o : new long[] {result, flush, file}) {
                                    if (o != 0) {
                                        CPython.Py_DecRef(o);
                                    }
                                }
                                CPython.PyErr_Clear();
                            }
                            if (sys != 0) {
                                CPython.Py_DecRef(sys);
                            }
                        } finally {
                            exit(attachment);
                        }
                    }
                },
                "jawait-python-flush");
        flusher.setDaemon(true);
        flusher.start();
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
