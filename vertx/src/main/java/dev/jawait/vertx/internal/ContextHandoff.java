package dev.jawait.vertx.internal;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work that Python hands to a Vert.x context (requests, replies, sends), run there in the order
 * given. Tasks handed over while the context has not yet run the previous ones join them: one
 * task on the context's event loop, and one wake of its thread, for a whole burst, as completions
 * into Python share one wake of its loop.
 */
final class ContextHandoff implements Executor {
    private static final System.Logger LOG = System.getLogger(ContextHandoff.class.getName());

    private final Context context;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    ContextHandoff(Context context) {
        this.context = context;
    }

    Context context() {
        return context;
    }

    /**
     * Queues {@code task} for the context; any thread. Throws IllegalStateException once Vert.x
     * closed (the context takes no more work).
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            try {
                context.runOnContext(v -> runQueued());
            } catch (RejectedExecutionException e) {
                tasks.remove(task);
                scheduled.set(false);
                throw new IllegalStateException("the Vert.x instance of this event bus is closed", e);
            }
        }
    }

    private void runQueued() {
        scheduled.set(false); // before polling: a task queued from now on schedules another run
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a task handed to a Vert.x context by Python failed", e);
            }
        }
    }
}
