package dev.jawait.internal.async;

import dev.jawait.async.AsyncBackend;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.AttachScope;
import dev.jawait.internal.runtime.Gil;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.OwnedReference;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop that jawait runs on a thread of its own (asyncio, uvloop or a trio run) until it
 * is closed. The thread holds the GIL except while the loop waits for I/O.
 */
public final class OwnedLoop {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final String flavor;
    private final String name;
    /** The interpreter the loop runs in, which stops it when it closes. */
    private final Interpreter interpreter;

    private final AsyncBackend backend;
    private final CompletableFuture<LoopChannel> started = new CompletableFuture<>();
    private final Thread thread;
    private volatile OwnedReference stop;

    /** Registered with the interpreter, which closes the loop when it shuts down; removed when the loop ends. */
    private final Runnable closeHook = this::close;

    private OwnedLoop(Interpreter interpreter, AsyncBackend backend, String flavor, String name) {
        this.interpreter = interpreter;
        this.flavor = flavor;
        this.name = name;
        this.backend = backend;
        String threadName = "jawait-" + flavor + "-loop-" + COUNT.incrementAndGet();
        this.thread = new Thread(null, this::run, threadName, Interpreter.PYTHON_THREAD_STACK);
        thread.setDaemon(true);
    }

    /** Starts a loop of {@code flavor}, named {@code name} (see LoopChannel.name), and waits until it runs. */
    public static OwnedLoop start(Interpreter interpreter, String flavor, String name) {
        AsyncBackend backend = Backends.forLoopFlavor(flavor);
        Gil.call(interpreter, () -> {
            Backends.requirePythonPackages(backend);
            if (flavor.equals("uvloop") && !Backends.pythonHas("uvloop")) {
                throw new IllegalStateException(Backends.missingPackages("a uvloop event loop", List.of("uvloop"))
                        + " (or start an \"asyncio\" loop)");
            }
            return null;
        });
        OwnedLoop loop = new OwnedLoop(interpreter, backend, flavor, name);
        loop.interpreter.addCloseHook(loop.closeHook);
        loop.thread.start();
        try {
            ThreadAttachment.current().withoutGil(loop.started::join); // the loop thread needs the GIL to start
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return loop;
    }

    private void run() {
        try {
            Gil.call(interpreter, () -> {
                // One attach scope for the loop's life, as an attach opens: the Java functions it
                // runs that take a Py token share one token, made once.
                PyFunctionRef runLoop = new PyFunctionRef(backend.pythonModule(), "run_loop");
                long control = JavaObjects.wrap(this);
                long flavorName = ToPython.string(flavor);
                long loopName = ToPython.string(name);
                ThreadAttachment attachment = ThreadAttachment.current();
                AttachScope outer = attachment.scope();
                AttachScope scope = new AttachScope(attachment);
                attachment.setScope(scope);
                try {
                    CPython.Py_DecRef(PyCalls.call(runLoop.get(), control, flavorName, loopName));
                } finally {
                    CPython.Py_DecRef(control);
                    CPython.Py_DecRef(flavorName);
                    CPython.Py_DecRef(loopName);
                    scope.close();
                    attachment.setScope(outer);
                }
                return null;
            });
        } catch (Throwable t) {
            if (!started.completeExceptionally(t)) { // a failure after start: nobody waits for it
                System.getLogger(OwnedLoop.class.getName())
                        .log(System.Logger.Level.ERROR, "event loop thread " + thread.getName() + " failed", t);
            }
        } finally {
            interpreter.removeCloseHook(closeHook);
            OwnedReference s = stop;
            if (s != null) {
                s.close();
            }
        }
    }

    /** Called by the loop once running (GIL held, loop thread). */
    void started(LoopChannel channel, OwnedReference stopLoop) {
        this.stop = stopLoop;
        started.complete(channel);
    }

    public String flavor() {
        return flavor;
    }

    public String pythonModule() {
        return backend.pythonModule();
    }

    public LoopChannel channel() {
        return started.getNow(null);
    }

    /**
     * Stops the loop: its remaining tasks are cancelled (their Java futures fail with
     * CancellationException) and it closes. Waits up to 30 s for the loop thread to end.
     */
    public void close() {
        LoopChannel channel = channel();
        if (channel != null) {
            channel.markClosing();
            OwnedReference s = stop;
            channel.execute(() -> {
                if (s != null && !s.isClosed()) {
                    CPython.Py_DecRef(PyCalls.call(s.addressHere("the loop's stop function")));
                }
            });
        }
        if (Thread.currentThread() == thread) {
            return; // closing from a task of the loop itself: it stops once this task yields
        }
        try {
            // The loop needs the GIL to run the stop action: a caller that Python called holds it.
            ThreadAttachment.current().withoutGil(() -> thread.join(TimeUnit.SECONDS.toMillis(30)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(
                    thread.getName() + " did not stop within 30 s: a Python coroutine is " + "blocking its event loop",
                    new TimeoutException());
        }
    }

    public boolean isAlive() {
        return thread.isAlive();
    }
}
