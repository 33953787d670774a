package dev.jawait.internal.async;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.LibC;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.Metrics;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The wake path into one Python event loop.
 *
 * <p>Any Java thread queues completions and actions here without the GIL; the first one since the
 * loop last drained writes one byte to a pipe the loop watches (asyncio {@code add_reader}, trio
 * {@code wait_readable}). The loop then drains everything queued so far under the GIL it already
 * holds, and resumes the waiting coroutines from Python in one batch: one wake serves many
 * completions, and a completing thread (a Vert.x event loop, say) never waits for the GIL.
 *
 * <p>Closing (the loop ended) refuses further completions; the pipe is closed by Python only after
 * no thread can still be writing to it.
 */
public final class LoopChannel {
    /** Work for the loop thread, run during a drain with the GIL held. */
    @FunctionalInterface
    public interface Action {
        void run();

        /** The loop ended before the action could run; release what it holds. Any thread, maybe without the GIL. */
        default void refuse() {}
    }

    /** Items one drain takes at most, and the time it spends running them, so that the loop runs its own work between drains. */
    private static final int MAX_BATCH = 1024;

    private static final long BATCH_NANOS = 2_000_000;
    /** Submissions waiting for a loop beyond which submitters wait, and for how long at most. */
    private static final int HIGH_WATER = 65_536;

    private static final long MAX_SUBMIT_WAIT_NANOS = 1_000_000;
    private static final long SUBMIT_WAIT_STEP_NANOS = 50_000;
    /** Pipe writes so far, in this JVM: a diagnostic for tests of batching. */
    private static final AtomicLong WAKES = new AtomicLong();

    private final int wakeFd;
    private final String name;
    /** The interpreter whose loop this is: the waiters queued here are its objects. */
    private final Interpreter interpreter;

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Submissions queued and not yet taken by the loop (see {@link #submit}). */
    private final AtomicInteger queuedSubmissions = new AtomicInteger();

    private volatile boolean closed;
    private volatile boolean closing;

    /** Java futures that this loop's coroutines await, counted while metrics are bound. */
    private final AtomicInteger awaiting = new AtomicInteger();

    LoopChannel(int wakeFd, String name) {
        this.wakeFd = wakeFd;
        this.name = name;
        this.interpreter = ThreadAttachment.current().interpreter();
        Metrics.Sink metrics = Metrics.sink;
        if (metrics != null) {
            metrics.loopOpened(this, name, awaiting::get);
        }
    }

    /** A pending call parked on this loop (true: counted), or ended (false), while metrics are bound. */
    void countAwaiting(boolean parked) {
        if (parked) {
            awaiting.incrementAndGet();
        } else {
            awaiting.decrementAndGet();
        }
    }

    /** Whether the loop ended or was asked to stop. */
    public boolean isClosed() {
        return closed || closing;
    }

    /** The loop was asked to stop; work submitted from now on is refused. */
    void markClosing() {
        closing = true;
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    /**
     * The loop's name: the one given to EventLoop.start, else its library ("asyncio", "trio"). The
     * {@code loop} tag of its metrics, so stable (never an address), and shared by loops measured together.
     */
    public String name() {
        return name;
    }

    /**
     * Queues a completed call for delivery; false if it was cancelled meanwhile, or if the loop
     * ended (the call is then discarded: nothing will ever resume its waiter). Any thread.
     */
    boolean complete(PendingCall call) {
        return enqueue(call);
    }

    /** Queues work for the loop thread; false if the loop ended. Any thread. */
    public boolean execute(Action action) {
        return enqueue(action);
    }

    /**
     * Queues a submission of Python work (a task to start); false if the loop ended. Any thread.
     * Flow control: past {@value #HIGH_WATER} submissions waiting for the loop, a submitting thread
     * that is not inside Python work waits for the loop to take some, up to 1 ms per call, so that
     * a thread submitting faster than the loop can start tasks slows down instead of filling the heap
     * without bound (whose collections would then stall every loop).
     */
    boolean submit(PythonTask task) {
        if (queuedSubmissions.get() >= HIGH_WATER && !ThreadAttachment.current().isInScope()) {
            long deadline = System.nanoTime() + MAX_SUBMIT_WAIT_NANOS;
            while (queuedSubmissions.get() >= HIGH_WATER && System.nanoTime() - deadline < 0 && !closed) {
                LockSupport.parkNanos(SUBMIT_WAIT_STEP_NANOS);
            }
        }
        queuedSubmissions.incrementAndGet();
        if (!enqueue(task)) {
            queuedSubmissions.decrementAndGet();
            return false;
        }
        return true;
    }

    private boolean enqueue(Object item) {
        inFlight.incrementAndGet();
        try {
            if (closed) {
                if (item instanceof PendingCall call) {
                    call.discardIfAttached();
                }
                return false;
            }
            if (item instanceof PendingCall call && !call.markCompleted()) {
                return false;
            }
            queue.add(item);
            wake();
            return true;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            WAKES.incrementAndGet();
            LibC.wake(wakeFd);
        }
    }

    static long wakes() {
        return WAKES.get();
    }

    /**
     * Runs up to {@value #MAX_BATCH} queued actions and completions (for about 2 ms at most),
     * oldest first, and returns the
     * completions as the Python tuple {@code (done, failed)} of flat [waiter, value, ...] lists
     * (values, or exceptions for failed), or None if there were none. What is left (a flood of
     * submissions from a thread that never waits for the GIL) wakes the loop again, after it has
     * run what became ready meanwhile: a drain never starves the loop. Loop thread, GIL held;
     * returns a new reference.
     */
    long drain() {
        wakePending.set(false); // before polling: a completion queued from now on wakes again
        long batch = takeQueued(true, MAX_BATCH);
        if (!queue.isEmpty()) {
            wake();
        }
        return batch;
    }

    /**
     * Ends the channel: refuses further completions, waits until no thread is inside
     * {@link #complete} or {@link #execute} (so the pipe can be closed), refuses the actions still
     * queued (this may not run on the loop's thread), and returns the queued completions as
     * {@link #drain()} does. GIL held.
     */
    long close() {
        closed = true;
        Metrics.Sink metrics = Metrics.sink;
        if (metrics != null) {
            metrics.loopClosed(this);
        }
        while (inFlight.get() != 0) {
            Thread.onSpinWait();
        }
        return takeQueued(false, Integer.MAX_VALUE);
    }

    /**
     * Takes up to {@code limit} items, for at most {@link #BATCH_NANOS} when running actions:
     * completions into the returned batch, actions run or (closing) refused.
     */
    private long takeQueued(boolean runActions, int limit) {
        Batch batch = new Batch();
        long deadline = System.nanoTime() + BATCH_NANOS;
        Object item;
        int taken = 0;
        for (; taken < limit && (item = queue.poll()) != null; taken++) {
            if (item instanceof PythonTask) {
                queuedSubmissions.decrementAndGet();
            }
            if (runActions && (taken & 31) == 31 && System.nanoTime() - deadline > 0) {
                limit = taken + 1; // this item is the last
            }
            if (item instanceof PendingCall call) {
                batch.add(call);
            } else if (runActions) {
                runAction((Action) item);
            } else {
                ((Action) item).refuse();
            }
        }
        Metrics.Sink metrics = Metrics.sink;
        if (metrics != null && runActions && taken > 0) {
            metrics.wakeBatch(taken);
        }
        return batch.toPython();
    }

    private void runAction(Action action) {
        try {
            action.run();
        } catch (Throwable t) {
            System.getLogger(LoopChannel.class.getName())
                    .log(System.Logger.Level.ERROR, "an action on event loop " + name + " failed", t);
        }
    }

    /** Completions gathered by one drain, converted to Python. */
    private static final class Batch {
        private long[] done = new long[32];
        private int doneCount;
        private long[] failed = new long[8];
        private int failedCount;

        void add(PendingCall call) {
            long value = 0;
            Throwable failure = null;
            try {
                value = call.outcome();
            } catch (Throwable f) { // the Java failure, or a result that could not become a Python value
                failure = f;
            }
            long error = failure == null ? 0 : exception(failure);
            // Only now: ending the call releases its arguments, and the outcome may be one of them.
            long waiter = call.takeWaiter(); // an owned reference, handed on to the Python list
            if (failure != null) {
                failed = append(failed, failedCount, waiter, error);
                failedCount += 2;
            } else {
                done = append(done, doneCount, waiter, value);
                doneCount += 2;
            }
        }

        private static long[] append(long[] items, int count, long waiter, long value) {
            long[] grown = count + 2 <= items.length ? items : Arrays.copyOf(items, items.length * 2);
            grown[count] = waiter;
            grown[count + 1] = value;
            return grown;
        }

        /** The Python exception for a failure; a failure to convert it becomes a RuntimeError saying so. */
        private static long exception(Throwable failure) {
            try {
                return PythonErrors.toPythonException(failure);
            } catch (RuntimeException | Error e) {
                CPython.PyErr_Clear();
                long message = ToPython.string("jawait could not convert " + failure + ": " + e);
                try {
                    return dev.jawait.internal.runtime.PyCalls.call(Symbols.EXC_RUNTIME_ERROR, message);
                } finally {
                    CPython.Py_DecRef(message);
                }
            }
        }

        long toPython() {
            if (doneCount == 0 && failedCount == 0) {
                return ToPython.newReference(Symbols.NONE);
            }
            long tuple = ToPython.checked(CPython.PyTuple_New(2));
            CPython.PyTuple_SetItem(tuple, 0, ToPython.listOf(done, doneCount));
            CPython.PyTuple_SetItem(tuple, 1, ToPython.listOf(failed, failedCount));
            return tuple;
        }
    }
}
