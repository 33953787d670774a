package dev.jawait.export;

import java.util.ArrayList;
import java.util.List;

/**
 * Cancellation of the Python await that an async function's future serves. Declare a parameter of
 * this type (it is filled in by jawait and invisible from Python) to learn when the awaiting
 * coroutine is cancelled: a task cancelled, a cancel scope or {@code wait_for} timing out, the
 * coroutine closed.
 *
 * <p>A returned {@code CompletableFuture} is also cancelled ({@code cancel(true)}); a Vert.x
 * {@code Future} has no cancel, so register what stops the work here:
 * <pre>{@code
 * @PyFunction
 * public Future<Buffer> download(String url, Cancellation cancellation) {
 *     Future<HttpClientResponse> response = client.request(...).compose(HttpClientRequest::send);
 *     cancellation.onCancel(() -> response.onSuccess(r -> r.request().reset()));
 *     return response.compose(HttpClientResponse::body);
 * }
 * }</pre>
 * Hooks run once, on the Python event loop's thread with the GIL released; keep them short. A hook
 * that throws is logged (through {@code System.Logger}), not raised in Python.
 */
public final class Cancellation {
    private final List<Runnable> hooks = new ArrayList<>();
    private boolean cancelled;

    /** Made by jawait for each call of a function that declares one. */
    Cancellation() {}

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code hook} when the await is cancelled; at once if it already was. */
    public void onCancel(Runnable hook) {
        synchronized (this) {
            if (!cancelled) {
                hooks.add(hook);
                return;
            }
        }
        hook.run();
    }

    /**
     * Marks cancelled and runs the hooks. One that throws is logged, and the others still run:
     * Python is being cancelled, and a hook's failure must not take the cancellation's place.
     */
    void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        for (Runnable hook : toRun) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.getLogger(Cancellation.class.getName())
                        .log(System.Logger.Level.ERROR, "a cancellation hook failed", e);
            }
        }
    }
}
