package dev.jawait.internal.runtime;

import dev.jawait.PythonStartupException;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.CommandLineStart;
import dev.jawait.internal.ffi.LibC;
import dev.jawait.internal.ffi.VersionSpecific;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.Callable;
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
 * The one CPython interpreter of this JVM: start-up, GIL scopes, shutdown.
 *
 * <p>Python starts and finalizes on a dedicated daemon thread, which Python therefore sees as its
 * main thread. Embedded ({@link #start}), signals stay with the JVM unless the settings give Python
 * SIGINT; as a program ({@link #runMain}), Python starts from a command line and handles signals as
 * the python command does (see {@link SignalForwarding}).
 */
public final class Interpreter {
    public enum State { RUNNING, CLOSING, CLOSED }

    /** Stack size of the threads jawait creates to run Python (deep recursion, pytest). */
    public static final long PYTHON_THREAD_STACK = 32L << 20;

    private static final Object START_LOCK = new Object();
    private static volatile Interpreter current;

    private final PythonInstallation installation;
    private final SignalForwarding.Mode signalMode;
    private final ExecutorService mainThread;
    private SignalForwarding signals;
    private final AtomicInteger openScopes = new AtomicInteger();
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
    private volatile State state = State.RUNNING;
    /** The {@code PyInterpreterState *}, for thread states that jawait makes itself. */
    private long interpreterState;

    private Interpreter(PythonInstallation installation, SignalForwarding.Mode signalMode) {
        this.installation = installation;
        this.signalMode = signalMode;
        this.mainThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(null, task, "jawait-python-main", PYTHON_THREAD_STACK);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the interpreter; {@code bootstrap} runs on Python's main thread with the GIL held,
     * right after Py_InitializeEx. The environment of {@code settings} is set before.
     */
    public static Interpreter start(PythonInstallation installation, StartupSettings settings,
                                    Consumer<Interpreter> bootstrap) {
        synchronized (START_LOCK) {
            checkNotStarted();
            SignalForwarding.Mode signals = settings.pythonHandlesSignals() ? SignalForwarding.Mode.PYTHON
                    : SignalForwarding.Mode.JVM;
            Interpreter interpreter = new Interpreter(installation, signals);
            interpreter.onMainThread(() -> interpreter.initialize(settings, () -> {
                CPython.Py_InitializeEx(signals == SignalForwarding.Mode.JVM ? 0 : 1);
                return new CommandLineStart.Outcome.Started();
            }, bootstrap));
            current = interpreter;
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
    public static int runMain(PythonInstallation installation, StartupSettings settings, List<String> commandLine,
                              Consumer<Interpreter> bootstrap) {
        Interpreter interpreter;
        synchronized (START_LOCK) {
            checkNotStarted();
            interpreter = new Interpreter(installation, SignalForwarding.Mode.COMMAND);
            current = interpreter; // a failed start is not retried: libpython may be half initialized
            CommandLineStart.Outcome outcome;
            try {
                outcome = interpreter.onMainThread(() -> interpreter.initialize(settings,
                        () -> CommandLineStart.initialize(commandLine, Charset.forName(System.getProperty(
                                "sun.jnu.encoding", Charset.defaultCharset().name()))), bootstrap));
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
        if (current != null) {
            throw new PythonStartupException("Python " + current.installation.version() + " ("
                    + current.installation.executable() + ") was already started in this JVM"
                    + (current.state == State.RUNNING ? "" : " and has been closed")
                    + "; jawait runs one interpreter per JVM: use Python.get() to share it.");
        }
    }

    private CommandLineStart.Outcome initialize(StartupSettings settings, Supplier<CommandLineStart.Outcome> startPython,
                                                Consumer<Interpreter> bootstrap) {
        CPython.bind(installation.libpython().toString(), installation.minor(), installation.debugBuild());
        if (CPython.Py_IsInitialized() != 0) {
            throw new PythonStartupException("libpython " + installation.libpython()
                    + " is already initialized in this process by someone other than jawait.");
        }
        settings.environment().forEach(LibC::setEnvironment); // before Python reads PYTHON* variables and os.environ
        VersionSpecific.configureStartup(installation.executable().toString(), installation.basePrefix());
        signals = SignalForwarding.prepare(signalMode);
        CommandLineStart.Outcome outcome = startPython.get();
        if (!(outcome instanceof CommandLineStart.Outcome.Started)) {
            return outcome;
        }
        ThreadAttachment main = ThreadAttachment.current();
        main.adoptMainThreadState();
        interpreterState = CPython.PyInterpreterState_Get();
        VersionSpecific.checkNumberLayouts();
        ToPython.cacheSmallInts();
        try {
            signals.start();
            bootstrap.accept(this);
        } finally {
            main.release();
        }
        return outcome;
    }

    /** On Python's main thread: the program, then finalization (see {@link #prepareFinalization}). */
    private int runProgram() {
        ThreadAttachment main = ThreadAttachment.current();
        main.acquire();
        int status = CPython.Py_RunMain();
        main.forgetFinalizedMainThreadState();
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

    public static Interpreter current() {
        return current;
    }

    public static boolean isRunning() {
        Interpreter interpreter = current;
        return interpreter != null && interpreter.state == State.RUNNING;
    }

    public PythonInstallation installation() {
        return installation;
    }

    public State state() {
        return state;
    }

    /**
     * Takes the GIL for the calling thread (re-entrant). Returns false, taking nothing, when the
     * interpreter is shutting down or closed and this thread does not already hold the GIL.
     */
    public boolean tryEnter(ThreadAttachment attachment) {
        if (attachment.holdsGil()) {
            attachment.acquire();
            return true;
        }
        openScopes.incrementAndGet();
        if (state != State.RUNNING) {
            exitScope();
            return false;
        }
        attachment.acquire();
        ReferencePool.drain();
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

    /**
     * Frees the thread states of Java threads that ended, from a thread of jawait's own that holds
     * none of them. CPython 3.12+ unbinds the calling thread's PyGILState state when it deletes a
     * thread state that PyGILState made (as it did each Java thread's), so this thread works under a
     * throwaway thread state: every state is cleared (which may run Python finalizers) while that
     * binding is still intact, then deleted (which runs no Python code), and the throwaway last.
     * Does nothing once Python is shutting down: finalization frees every thread state.
     */
    void freeThreadStates(long[] threadStates) {
        openScopes.incrementAndGet();
        try {
            if (state != State.RUNNING) {
                return;
            }
            long own = CPython.PyThreadState_New(interpreterState);
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

    /** Runs {@code task} on Python's main thread and waits for it. */
    public <T> T onMainThread(Callable<T> task) {
        Future<T> future = mainThread.submit(task);
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Python's main thread", e);
        }
    }

    /** Runs before shutdown waits for open scopes: stops what would otherwise keep one open (loop threads). */
    public void addCloseHook(Runnable hook) {
        closeHooks.add(hook);
    }

    public void removeCloseHook(Runnable hook) {
        closeHooks.remove(hook);
    }

    /**
     * Shuts Python down once nothing runs in it: refuses new scopes, stops jawait's loop threads,
     * waits for open scopes to end, then finalizes on Python's main thread. Called from a thread
     * that is itself inside Python work with the GIL released (a future's callback or a cancel hook
     * that jawait runs on a loop thread, a {@code py.detach} block), it cannot wait for its own
     * scope: it starts the shutdown, which a thread of jawait's finishes once that scope ends.
     */
    public void close() {
        ThreadAttachment caller = ThreadAttachment.current();
        synchronized (START_LOCK) {
            if (state != State.RUNNING || runsProgram()) { // a program's end shuts Python down
                return;
            }
            if (caller.holdsGil()) {
                throw new IllegalStateException("Python.close() called while this thread is attached to Python; "
                        + "call it outside attach(...) and outside functions called from Python.");
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

    /** Waits for open scopes to end, then finalizes Python. */
    private void finishClose() {
        waitForOpenScopes();
        signals.stop();
        onMainThread(() -> {
            ThreadAttachment main = ThreadAttachment.current();
            main.acquire();
            ReferencePool.drain();
            CPython.Py_FinalizeEx(); // runs atexit handlers and joins non-daemon Python threads
            return null;
        });
        signals.restoreJvmHandlers();
        closed();
    }

    private void waitForOpenScopes() {
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
     * When a program ends ({@link #runMain}), from its last atexit handler (so on Python's main
     * thread, before Python is marked finalizing, with the GIL released): what {@link #close} does
     * before it finalizes. New scopes are refused, signals are no longer passed on, jawait's loop
     * threads stop, and Java threads still in Python are waited for: none may be in Python once
     * finalization starts, as CPython ends a thread that takes the GIL after that, which a JVM thread
     * does not survive.
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
        waitForOpenScopes();
    }

    /** JVM exit with Python still running: flush Python's buffered output if the GIL can be had soon. */
    private void flushAtJvmExit() {
        if (state != State.RUNNING) {
            return;
        }
        Thread flusher = new Thread(() -> {
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
        }, "jawait-python-flush");
        flusher.setDaemon(true);
        flusher.start();
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
