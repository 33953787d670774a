package dev.jawait.internal.async;

import dev.jawait.PyObject;
import dev.jawait.internal.convert.ConversionFailure;
import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A Java future of Python work: an awaitable running as a task of some loop. Python reports where
 * it runs and how to cancel it ({@link #track}), then its outcome ({@link #settle}). Completing or
 * cancelling the Java future from Java (cancel, orTimeout, complete) cancels the Python task.
 */
final class PythonTask {
    static final int VALUE = 0, ERROR = 1, CANCELLED = 2;

    private final CompletableFuture<Object> future = new CompletableFuture<>();
    private final Converters.Converter converter;
    private final String description;
    private volatile LoopChannel channel;
    private volatile PyObject canceller;
    private volatile boolean settledByPython;

    PythonTask(Converters.Converter converter, String description) {
        this.converter = converter;
        this.description = description;
        future.whenComplete((value, failure) -> {
            if (!settledByPython) {
                requestCancel(); // completed from the Java side: the Python task is no longer awaited
            }
        });
    }

    CompletableFuture<Object> future() {
        return future;
    }

    /** Fails the future before the work could start (bad arguments, loop closed). */
    void failToStart(Throwable failure) {
        settledByPython = true;
        future.completeExceptionally(failure);
    }

    /** The task runs on {@code channel}'s loop; calling {@code cancel} there cancels it. GIL held. */
    void track(LoopChannel channel, PyObject cancel) {
        this.canceller = cancel;
        this.channel = channel;
        if (future.isDone() && !settledByPython) {
            requestCancel();
        }
    }

    private void requestCancel() {
        LoopChannel c = channel;
        if (c != null && canceller != null) {
            c.execute(() -> {
                PyObject cancel = canceller; // read on the loop: null (and closed) if Python settled meanwhile
                if (cancel != null) {
                    cancel.call().close();
                }
            });
        }
    }

    /** The Python outcome: a value, an exception, or cancellation. Loop thread, GIL held. */
    void settle(int kind, PyObject value) {
        Object result = null;
        Throwable failure = null;
        if (kind == VALUE) {
            try {
                result = converter.convert(dev.jawait.internal.Bridge.references().address(value));
            } catch (ConversionFailure f) {
                failure = f.kind() == ConversionFailure.Kind.VALUE
                        ? new IllegalArgumentException(description + " returned " + f.getMessage())
                        : new ClassCastException(description + " returned a Python " + f.received()
                                + ", which does not convert to the requested Java type (expected " + f.expected() + ")");
            } catch (RuntimeException e) {
                failure = e;
            }
        } else if (kind == ERROR) {
            failure = PythonErrors.fromException(dev.jawait.internal.Bridge.references().address(value));
        } else {
            LoopChannel c = channel;
            failure = new CancellationException(description + " was cancelled in Python"
                    + (c != null && c.isClosed() ? " because its event loop (" + c.name() + ") closed" : ""));
        }
        PyObject cancel = canceller;
        canceller = null;
        if (cancel != null) {
            cancel.close();
        }
        settledByPython = true;
        complete(result, failure);
    }

    /** Completes the Java future; its dependent stages run inside, so without the GIL. */
    private void complete(Object result, Throwable failure) {
        ThreadAttachment.current().withoutGil(() -> {
            if (failure == null) {
                future.complete(result);
            } else {
                future.completeExceptionally(failure);
            }
        });
    }
}
