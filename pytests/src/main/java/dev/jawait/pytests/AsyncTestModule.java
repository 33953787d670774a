package dev.jawait.pytests;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.async.EventLoop;
import dev.jawait.async.PythonFutures;
import dev.jawait.diagnostics.Diagnostics;
import dev.jawait.export.Cancellation;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The Java side of the async pytest suites: {@code import jawait_async_testmod}. */
@PyModule(value = "jawait_async_testmod", doc = "Java async functions exercised by jawait's pytest suites.")
public class AsyncTestModule implements ModuleProvider {
    private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(2, daemon("timer"));
    private static final ExecutorService COMPLETERS = Executors.newFixedThreadPool(4, daemon("completer"));
    private static final Vertx VERTX = Vertx.vertx();
    private static final AtomicInteger INVOCATIONS = new AtomicInteger();
    /** Futures and cancellations by tag, for tests that cancel and then look. */
    private static final Map<String, CompletableFuture<Object>> NEVER = new ConcurrentHashMap<>();

    private static final Map<String, Cancellation> CANCELLATIONS = new ConcurrentHashMap<>();
    /** What vertxLater's timers have completed their futures with, for tests that wait for one. */
    private static final Set<Object> VERTX_COMPLETED = ConcurrentHashMap.newKeySet();

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "jawait-test-" + name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static CompletableFuture<Object> completeAfter(long millis, Object value) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        TIMERS.schedule(() -> future.complete(value), millis, TimeUnit.MILLISECONDS);
        return future;
    }

    // ---- results and timing ----------------------------------------------------------------------

    @PyFunction(doc = "A future that is already complete: no suspension.")
    public static CompletableFuture<Object> ready(Object value) {
        INVOCATIONS.incrementAndGet();
        return CompletableFuture.completedFuture(value);
    }

    @PyFunction(doc = "Completes with value after millis, from a timer thread (default backend).")
    public static CompletableFuture<Object> later(long millis, Object value) {
        INVOCATIONS.incrementAndGet();
        return completeAfter(millis, value);
    }

    @PyFunction(backend = "asyncio")
    public static CompletableFuture<Object> laterAsyncio(long millis, Object value) {
        return completeAfter(millis, value);
    }

    @PyFunction(backend = "trio")
    public static CompletableFuture<Object> laterTrio(long millis, Object value) {
        return completeAfter(millis, value);
    }

    @PyFunction(backend = "sniffio")
    public static CompletableFuture<Object> laterSniffio(long millis, Object value) {
        return completeAfter(millis, value);
    }

    @PyFunction(doc = "A minimal CompletionStage (not a CompletableFuture), completed after millis.")
    public static CompletionStage<Object> stageLater(long millis, Object value) {
        return completeAfter(millis, value).minimalCompletionStage();
    }

    @PyFunction(doc = "How many times ready() and later() ran.")
    public static int invocations() {
        return INVOCATIONS.get();
    }

    @PyFunction(doc = "Completed by another thread at once, racing with the coroutine parking.")
    public static CompletableFuture<Object> racing(Object value) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        COMPLETERS.execute(() -> future.complete(value));
        return future;
    }

    @PyFunction(doc = "Completed by one of 4 completer threads.")
    public static CompletableFuture<Object> fromPool(long value) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        COMPLETERS.execute(() -> future.complete(value));
        return future;
    }

    // ---- failures ------------------------------------------------------------------------------------

    private static Throwable exception(String javaClass, String message) throws ReflectiveOperationException {
        return (Throwable) Class.forName(javaClass).getConstructor(String.class).newInstance(message);
    }

    @PyFunction(doc = "Fails with new <javaClass>(message) after millis.")
    public static CompletableFuture<Object> failLater(long millis, String javaClass, String message) throws Exception {
        Throwable failure = exception(javaClass, message);
        CompletableFuture<Object> future = new CompletableFuture<>();
        TIMERS.schedule(() -> future.completeExceptionally(failure), millis, TimeUnit.MILLISECONDS);
        return future;
    }

    @PyFunction(doc = "A future that has already failed.")
    public static CompletableFuture<Object> failNow(String javaClass, String message) throws Exception {
        return CompletableFuture.failedFuture(exception(javaClass, message));
    }

    @PyFunction(doc = "The method itself throws instead of returning a future.")
    public static CompletableFuture<Object> throwNow(String message) {
        throw new IllegalArgumentException(message);
    }

    @PyFunction(doc = "Returns null instead of a future.")
    public static CompletableFuture<Object> returnsNull() {
        return null;
    }

    @PyFunction(doc = "Cancelled on the Java side after millis.")
    public static CompletableFuture<Object> cancelledLater(long millis) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        TIMERS.schedule(() -> future.cancel(false), millis, TimeUnit.MILLISECONDS);
        return future;
    }

    // ---- cancellation -----------------------------------------------------------------------------------

    @PyFunction(doc = "Never completes on its own; wasCancelled(tag) tells whether Python cancelled it.")
    public static CompletableFuture<Object> never(String tag) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        NEVER.put(tag, future);
        return future;
    }

    @PyFunction
    public static boolean wasCancelled(String tag) {
        CompletableFuture<Object> future = NEVER.get(tag);
        Cancellation cancellation = CANCELLATIONS.get(tag);
        return (future != null && future.isCancelled()) || (cancellation != null && cancellation.isCancelled());
    }

    @PyFunction(doc = "Completes a never() future from Java.")
    public static void completeNever(String tag, Object value) {
        NEVER.get(tag).complete(value);
    }

    @PyFunction(doc = "Cancels a never() future from Java, on a Java thread.")
    public static void cancelNeverFromJava(String tag) {
        CompletableFuture<Object> future = NEVER.get(tag);
        COMPLETERS.execute(() -> future.cancel(true));
    }

    @PyFunction(doc = "Forgets the never() futures and cancellations whose tag starts with prefix.")
    public static void forget(String prefix) {
        NEVER.keySet().removeIf(tag -> tag.startsWith(prefix));
        CANCELLATIONS.keySet().removeIf(tag -> tag.startsWith(prefix));
    }

    @PyFunction(releaseGil = true, doc = "Java heap in use after garbage collection, in bytes.")
    public static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @PyFunction(doc = "A Vert.x future that never completes; Python cancellation reaches its Cancellation hook.")
    public static Future<Object> vertxNever(String tag, Cancellation cancellation) {
        CANCELLATIONS.put(tag, cancellation);
        Promise<Object> promise = Promise.promise();
        cancellation.onCancel(() -> promise.tryFail("cancelled by Python"));
        return promise.future();
    }

    @PyFunction(doc = "A future that never completes, whose Cancellation hook throws after noting tag as cancelled.")
    public static CompletableFuture<Object> neverWithFailingHook(String tag, Cancellation cancellation) {
        CANCELLATIONS.put(tag, cancellation);
        cancellation.onCancel(() -> {
            throw new IllegalStateException("the hook of " + tag + " broke");
        });
        return new CompletableFuture<>();
    }

    @PyFunction(doc = "Completes after millis, on another thread, with the very PyObject it was given.")
    public static CompletableFuture<PyObject> echoLater(PyObject value, long millis) {
        return CompletableFuture.supplyAsync(
                () -> value, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    @PyFunction(
            doc = "Starts and closes a jawait loop of flavor from Java that Python called (the GIL held); "
                    + "returns whether it ran and whether it closed.")
    public static List<Boolean> startAndCloseLoop(String flavor) {
        EventLoop loop = EventLoop.start(dev.jawait.Python.get(), flavor);
        boolean ran = !loop.isClosed();
        loop.close();
        return List.of(ran, loop.isClosed());
    }

    @PyFunction(doc = "An async function whose parameter is named like the builtin 'type'.")
    public static CompletableFuture<String> describeKind(@dev.jawait.export.PyParam(name = "type") String kind) {
        return CompletableFuture.completedFuture("kind " + kind);
    }

    @PyFunction(doc = "Pending awaits of Java futures in this JVM.")
    public static int pendingCalls() {
        return Diagnostics.pendingJavaAwaits();
    }

    // ---- Vert.x ----------------------------------------------------------------------------------------

    @PyFunction(doc = "A Vert.x future completed by a Vert.x timer on an event loop.")
    public static Future<Object> vertxLater(long millis, Object value) {
        Promise<Object> promise = Promise.promise();
        VERTX.setTimer(millis, id -> {
            promise.complete(value);
            VERTX_COMPLETED.add(value);
        });
        return promise.future();
    }

    @PyFunction(doc = "Whether a vertxLater timer has completed its future with value (a str).")
    public static boolean vertxLaterCompleted(String value) {
        return VERTX_COMPLETED.contains(value);
    }

    @PyFunction(doc = "A Vert.x Timer (a subtype of Future) that fires after millis.")
    public static io.vertx.core.Timer vertxTimer(long millis) {
        return VERTX.timer(millis);
    }

    @PyFunction(doc = "A Vert.x future failed by a Vert.x timer.")
    public static Future<Object> vertxFailLater(long millis, String message) {
        Promise<Object> promise = Promise.promise();
        VERTX.setTimer(millis, id -> promise.fail(new IllegalStateException(message)));
        return promise.future();
    }

    // ---- callbacks, context, GIL -----------------------------------------------------------------------

    @PyFunction(doc = "Calls callback(value) from a Java thread after millis; completes with what it returned.")
    public static CompletableFuture<Object> callLater(Function<Object, Object> callback, long millis, Object value) {
        return completeAfter(millis, value).thenApplyAsync(callback, COMPLETERS);
    }

    private static volatile boolean gateOpen;
    private static volatile CountDownLatch passed;

    @PyFunction
    public static boolean passGate() {
        if (gateOpen) {
            passed.countDown();
            return true;
        }
        return false;
    }

    @PyFunction(
            releaseGil = true,
            doc = "Waits (GIL released) for a Python thread to pass the gate; the future says whether one did.")
    public static CompletableFuture<Object> gateReleased(long millis) throws InterruptedException {
        passed = new CountDownLatch(1);
        gateOpen = true;
        try {
            return CompletableFuture.completedFuture(passed.await(millis, TimeUnit.MILLISECONDS));
        } finally {
            gateOpen = false;
        }
    }

    // ---- Python awaitables as Java futures --------------------------------------------------------------

    @PyFunction(doc = "Turns a Python awaitable into a Java future and returns that future to Python.")
    public static CompletableFuture<Object> awaitPython(Py py, PyObject awaitable) {
        return PythonFutures.toCompletableFuture(py, awaitable);
    }

    @PyFunction(doc = "The same through a Vert.x future.")
    public static Future<Object> awaitPythonVertx(Py py, PyObject awaitable) {
        return PythonFutures.toVertxFuture(py, awaitable, Object.class);
    }

    @PyFunction(
            doc = "Runs an awaitable as a Java future, cancels that future from a Java thread after millis, "
                    + "and completes with whether the Java future reports cancelled.")
    public static CompletableFuture<Object> cancelFromJava(Py py, PyObject awaitable, long millis) {
        CompletableFuture<Object> running = PythonFutures.toCompletableFuture(py, awaitable);
        return completeAfter(millis, null).thenApply(x -> running.cancel(true) && running.isCancelled());
    }

    @PyFunction(doc = "Submits coroutine_function(*args) to the loop running this code, from a Java thread.")
    public static CompletableFuture<Object> submitFromJavaThread(Py py, PyObject coroutineFunction, Object argument) {
        EventLoop loop = EventLoop.current(py);
        PyObject function = coroutineFunction.newReference();
        return CompletableFuture.supplyAsync(() -> loop.submit(function, argument), COMPLETERS)
                .thenCompose(f -> f)
                .whenComplete((v, e) -> function.close());
    }
}
