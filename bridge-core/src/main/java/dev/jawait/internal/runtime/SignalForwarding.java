package dev.jawait.internal.runtime;

import dev.jawait.internal.export.NativeModuleBuilder;
import dev.jawait.internal.ffi.LibC;
import dev.jawait.internal.ffi.VersionSpecific;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Signals that Python code handles, delivered as the python command delivers them: the handler runs
 * on Python's main thread and interrupts a blocking call there ({@code time.sleep},
 * {@code os.waitid}, {@code select}).
 *
 * <p>Linux gives a signal sent to the process to one of its threads, in practice the first one (the
 * java launcher's, which only waits for the JVM to end), not to Python's main thread. Python's own
 * C-level handler would note the signal there while Python's main thread stayed blocked in its
 * system call, running the handler only once that call returned. So the JVM keeps the C-level
 * handler ({@link Signal}, whose handlers run on a thread of the JVM's), and for each signal jawait
 * (1) trips Python's handler ({@link VersionSpecific#tripSignal}: it runs at Python's next check,
 * and the signal's number goes to the wakeup fd that asyncio and trio watch), then (2) sends Python's
 * main thread the <em>wake signal</em>, a spare real-time signal whose handler does nothing and is
 * installed without {@code SA_RESTART}: the blocking call returns EINTR, and Python (PEP 475) runs
 * the handler before it retries the call.
 *
 * <p>{@code jawait/_signals.py} makes Python's {@code signal.signal} go through here. What
 * {@code SIG_DFL} means for a signal is decided when Python starts: the system's default for the
 * signals given to Python then (reset to the system's default first, as in a fresh process, unless
 * ignored), the JVM's handler for those the JVM held (its shutdown hooks on SIGTERM, say), the
 * system's default for the rest. Signals the JVM refuses to pass on (SIGQUIT, real-time signals) keep
 * Python's own C-level handler, which then runs late as described above.
 */
public final class SignalForwarding {
    /** What Python gets at start-up: nothing (signals stay with the JVM), SIGINT, or the python command's signals. */
    public enum Mode {
        /** Python gets no signal at start-up (its code may still install handlers). */
        JVM(),
        /** Python gets SIGINT (KeyboardInterrupt); the JVM keeps SIGTERM and SIGHUP (its shutdown hooks). */
        PYTHON("INT"),
        /** The python command's: SIGINT raises KeyboardInterrupt, SIGTERM and SIGHUP end the process. */
        COMMAND("INT", "TERM", "HUP");

        private final String[] signals;

        Mode(String... signals) {
            this.signals = signals;
        }
    }

    /**
     * SIGILL, SIGFPE, SIGBUS, SIGSEGV (Linux numbers): the JVM turns them into exceptions and
     * safepoints, so a handler that takes one over (faulthandler's, a Python handler) ends the JVM at
     * its next null check or safepoint. Python code may not take them.
     */
    public static final int[] JVM_FAULT_SIGNALS = {4, 8, 7, 11};

    /** Signal names the JDK knows; {@link Signal} takes a name, Python gives a number. */
    private static final String[] NAMES = {
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR",
        "SYS"
    };

    private static final int SIGNAL_COUNT = 65;
    private static final int SIGINT = 2;

    private final Map<Integer, Signal> byNumber = new ConcurrentHashMap<>();
    /** Each signal's handler before Python started (0 the system's default, 1 ignored, else the JVM's). */
    private final long[] handlersAtStart = new long[SIGNAL_COUNT];
    /** The handlers that jawait displaced, by signal, to give back when Python shuts down. */
    private final Map<Integer, SignalHandler> displaced = new ConcurrentHashMap<>();
    /** Signals for which Python has a handler of its own (a callable) that the JVM passes on. */
    private final Set<Integer> forwarded = ConcurrentHashMap.newKeySet();

    private final SignalHandler forwarder = this::deliver;
    private long mainThread;
    private int wakeSignal;
    /** Python's C-level signal handler (one for all signals), which 3.9 trips signals through. */
    private volatile long pythonSignalHandler;

    private volatile boolean active;

    private SignalForwarding() {
        for (String name : NAMES) {
            try {
                Signal signal = new Signal(name);
                byNumber.put(signal.getNumber(), signal);
            } catch (IllegalArgumentException unknownHere) {
                // a name this system does not have
            }
        }
    }

    /**
     * Before Python starts: gives Python the signals of {@code mode} (the system's default, unless
     * they are ignored, as a fresh process would have them) and notes every signal's handler.
     */
    static SignalForwarding prepare(Mode mode) {
        SignalForwarding signals = new SignalForwarding();
        for (String name : mode.signals) {
            Signal signal = new Signal(name);
            if (LibC.handlerOf(signal.getNumber()) != 1) {
                try {
                    signals.displace(signal, SignalHandler.SIG_DFL);
                } catch (IllegalArgumentException refused) {
                    // the JVM keeps out of it (-Xrs): it has the system's default already
                }
            }
        }
        for (int signum = 1; signum < SIGNAL_COUNT; signum++) {
            signals.handlersAtStart[signum] = LibC.handlerOf(signum);
        }
        return signals;
    }

    /**
     * Right after Python started, on Python's main thread: chooses the wake signal (the highest
     * real-time signal nobody handles) and passes SIGINT on if Python installed its
     * {@code default_int_handler} at start-up (it does when SIGINT had the system's default).
     */
    synchronized void start() {
        mainThread = LibC.pthread_self();
        for (int signum = LibC.realTimeSignalMax(); signum > 32; signum--) {
            if (handlersAtStart[signum] == 0 && LibC.handlerOf(signum) == 0) {
                wakeSignal = signum;
                break;
            }
        }
        if (wakeSignal == 0) {
            throw new IllegalStateException(
                    "every real-time signal has a handler, and jawait needs one to wake " + "Python's main thread");
        }
        LibC.installInterruptingNoOpHandler(wakeSignal);
        active = true;
        long sigint = LibC.handlerOf(SIGINT);
        if (sigint > 1 && sigint != handlersAtStart[SIGINT]) {
            pythonSignalHandler = sigint;
            if (take(SIGINT)) {
                pythonHandles(SIGINT, true, false);
            }
        }
    }

    /** The real-time signal that interrupts Python's main thread; Python code may not take it. */
    public int wakeSignal() {
        return wakeSignal;
    }

    /**
     * Before Python changes {@code signum}'s handler: the JVM takes its C-level handler (keeping the
     * one displaced, the first time, to give back when Python shuts down). False if the JVM does not
     * pass this signal on, which then stays with Python's own C-level handler.
     */
    boolean take(int signum) {
        Signal signal = byNumber.get(signum);
        if (signal == null
                || IntStream.of(JVM_FAULT_SIGNALS).anyMatch(fault -> fault == signum)
                || signum == wakeSignal) {
            return false;
        }
        try {
            displace(signal, forwarder);
            return true;
        } catch (IllegalArgumentException refused) { // "Signal already used by VM or OS": SIGQUIT, -Xrs
            return false;
        }
    }

    private void displace(Signal signal, SignalHandler handler) {
        SignalHandler previous = Signal.handle(signal, handler);
        displaced.putIfAbsent(signal.getNumber(), previous);
    }

    /**
     * After Python changed the handler of a signal it had {@link #take}n: {@code callable} if Python's
     * handler is a callable, which the JVM then passes on; {@code isDefault} for SIG_DFL, which gives
     * the JVM's own handler back where that is the signal's default.
     */
    synchronized void pythonHandles(int signum, boolean callable, boolean isDefault) {
        Signal signal = byNumber.get(signum);
        if (callable) {
            if (pythonSignalHandler == 0) { // Python's own, which signal.signal just installed
                pythonSignalHandler = LibC.handlerOf(signum);
            }
            forwarded.add(signum);
            Signal.handle(signal, forwarder);
        } else {
            forwarded.remove(signum);
            SignalHandler jvm = displaced.get(signum);
            if (isDefault && defaultIsJvm(signum) && jvm != null) {
                Signal.handle(signal, jvm);
            }
        }
    }

    /** Whether SIG_DFL for {@code signum} means the JVM's handler: the JVM held it when Python started. */
    boolean defaultIsJvm(int signum) {
        return signum > 0 && signum < SIGNAL_COUNT && handlersAtStart[signum] > 1 && signum != wakeSignal;
    }

    private boolean isJavaHandler(SignalHandler handler) {
        return handler != SignalHandler.SIG_DFL && handler != SignalHandler.SIG_IGN && handler != forwarder;
    }

    /** Whether the JVM passes {@code signum} on to a handler of Python's right now. */
    boolean isForwarded(int signum) {
        return active && forwarded.contains(signum);
    }

    /** Trips Python's handler of a forwarded signal, as if the signal had arrived (for {@code signal.raise_signal}). */
    synchronized void trip(int signum) {
        if (active && forwarded.contains(signum)) {
            VersionSpecific.tripSignal(signum, pythonSignalHandler);
        }
    }

    /** On a thread of the JVM's, for each signal the JVM holds for jawait. Never throws. */
    private void deliver(Signal signal) {
        try {
            int signum = signal.getNumber();
            synchronized (this) {
                if (forwarded.contains(signum)) {
                    if (active) {
                        VersionSpecific.tripSignal(signum, pythonSignalHandler);
                        LibC.interrupt(mainThread, wakeSignal);
                    }
                    return;
                }
            }
            SignalHandler jvm = displaced.get(signum);
            if (jvm != null && isJavaHandler(jvm)) {
                jvm.handle(signal); // Python has none: the JVM's own, such as its shutdown on SIGTERM
            }
        } catch (Throwable t) {
            System.getLogger(SignalForwarding.class.getName())
                    .log(System.Logger.Level.ERROR, "passing " + signal + " on to Python failed", t);
        }
    }

    /** Before Python finalizes: signals are no longer passed on (Python's handlers are about to go). */
    synchronized void stop() {
        active = false;
    }

    /** After Python finalized, for a JVM that goes on: every handler jawait displaced is given back. */
    synchronized void restoreJvmHandlers() {
        displaced.forEach((signum, handler) -> {
            try {
                Signal.handle(byNumber.get(signum), handler);
            } catch (IllegalArgumentException e) {
                // the JVM no longer takes it: leave it as Python left it
            }
        });
    }

    /** The {@code _jawait} functions that {@code jawait/_signals.py} calls, in the main interpreter. */
    public static void addFunctions(NativeModuleBuilder module) {
        module.function(
                        "signal_take",
                        f -> f.param("signum", int.class)
                                .doc(
                                        "Before signal.signal: whether the JVM takes and passes on this signal's C-level handler.")
                                .body(args -> ofMain().take(args.getInt("signum"))))
                .function(
                        "signal_python_handles",
                        f -> f.param("signum", int.class)
                                .param("callable", boolean.class)
                                .param("is_default", boolean.class)
                                .doc("After signal.signal on a signal taken: pass it on to Python's handler, or not.")
                                .body(args -> {
                                    ofMain().pythonHandles(
                                                    args.getInt("signum"),
                                                    args.getBoolean("callable"),
                                                    args.getBoolean("is_default"));
                                    return null;
                                }))
                .function(
                        "signal_default_is_jvm",
                        f -> f.param("signum", int.class)
                                .doc("Whether SIG_DFL means the JVM's own handler for this signal.")
                                .body(args -> ofMain().defaultIsJvm(args.getInt("signum"))))
                .function(
                        "signal_forwarded",
                        f -> f.param("signum", int.class)
                                .doc("Whether the JVM passes this signal on to a handler of Python's right now.")
                                .body(args -> ofMain().isForwarded(args.getInt("signum"))))
                .function(
                        "signal_trip",
                        f -> f.param("signum", int.class)
                                .doc("Trips Python's handler of a signal passed on, as the signal's arrival would.")
                                .body(args -> {
                                    ofMain().trip(args.getInt("signum"));
                                    return null;
                                }))
                .function(
                        "wake_signal",
                        f -> f.doc("The real-time signal with which the JVM interrupts Python's main thread.")
                                .body(args -> ofMain().wakeSignal));
    }

    private static SignalForwarding ofMain() {
        return Interpreter.main().signals();
    }
}
