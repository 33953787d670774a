package dev.jawait.pytests;

import dev.jawait.export.Cancellation;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Java side of the executor pytest suite: the same kind of functions in three modules whose
 * bodies run on an executor ({@link ModuleDefinition#runningOn}): {@code jawait_executor_testmod}
 * on a single worker thread that tests can hold, {@code jawait_vertx_context_testmod} on a Vert.x
 * context, {@code jawait_rejecting_testmod} on an executor that refuses everything; and a built
 * module, {@code jawait_built_executor_testmod}, on the worker.
 */
public class ExecutorTestModule implements ModuleProvider {
    static final String WORKER_NAME = "jawait-test-worker";
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, WORKER_NAME);
        thread.setDaemon(true);
        return thread;
    });
    private static volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public List<ModuleDefinition> modules() {
        Context context = VertxContextModule.CONTEXT;
        return List.of(
                ModuleDefinition.of(Worker.class).runningOn(WORKER),
                ModuleDefinition.of(VertxContextModule.class).runningOn(task -> context.runOnContext(v -> task.run())),
                ModuleDefinition.of(Rejecting.class).runningOn(task -> {
                    throw new RejectedExecutionException("the test executor is shut down");
                }),
                ModuleDefinition.builder("jawait_built_executor_testmod")
                        .asyncFunction(
                                "describe",
                                f -> f.param("value", long.class)
                                        .doc(
                                                "The value, the worker's thread name, and whether the GIL token is absent.")
                                        .body(args -> CompletableFuture.completedFuture(List.of(
                                                args.getLong("value"),
                                                Thread.currentThread().getName(),
                                                args.py() == null))))
                        .build()
                        .runningOn(WORKER));
    }

    /** Bodies on {@link #WORKER}. */
    @PyModule(value = "jawait_executor_testmod", doc = "Async functions whose bodies run on a worker thread.")
    public static final class Worker {
        private static final Map<String, CompletableFuture<Object>> NEVER = new ConcurrentHashMap<>();

        @PyFunction(doc = "The name of the thread the body ran on.")
        public static CompletableFuture<String> threadName() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @PyFunction(name = "sync_thread_name", doc = "A sync function: runs on the calling thread, executor or not.")
        public static String syncThreadName() {
            return Thread.currentThread().getName();
        }

        @PyFunction(doc = "Makes the worker wait, after what it runs now, until release().")
        public static String hold() {
            CountDownLatch held = new CountDownLatch(1);
            gate = held;
            WORKER.execute(() -> {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return "held";
        }

        @PyFunction(doc = "Lets the held worker go on.")
        public static String release() {
            gate.countDown();
            return "released";
        }

        @PyFunction(doc = "A future that never completes, registered under tag once the body ran.")
        public static CompletableFuture<Object> never(String tag) {
            CompletableFuture<Object> future = new CompletableFuture<>();
            NEVER.put(tag, future);
            return future;
        }

        @PyFunction(doc = "Whether never(tag)'s body ran; whether its future was cancelled (None: it never ran).")
        public static Boolean neverCancelled(String tag) {
            CompletableFuture<Object> future = NEVER.get(tag);
            return future == null ? null : future.isCancelled();
        }

        @PyFunction(doc = "Completes once every body queued before it ran (a barrier for the worker).")
        public static CompletableFuture<String> drained() {
            return CompletableFuture.completedFuture("drained");
        }

        @PyFunction(doc = "A body that throws IllegalArgumentException(message).")
        public static CompletableFuture<Object> fail(String message) {
            throw new IllegalArgumentException(message);
        }

        @PyFunction(doc = "A body that returns null instead of a future.")
        public static CompletableFuture<Object> returnsNull() {
            return null;
        }

        @PyFunction(doc = "A callable called from the worker with value; its result is the outcome.")
        public static CompletableFuture<Object> callBack(Function<Object, Object> callable, Object value) {
            return CompletableFuture.completedFuture(callable.apply(value));
        }

        @PyFunction(doc = "The worker's thread name, then 0..count-1, from a publisher that emits on demand.")
        public static Flow.Publisher<Object> count(long count) {
            String thread = Thread.currentThread().getName();
            return new DemandPublisher<>(count + 1, i -> i == 0 ? thread : (Object) (i - 1), null, null);
        }
    }

    /** Bodies on a Vert.x context: HTTP client code that sets handlers after an asynchronous step. */
    @PyModule(value = "jawait_vertx_context_testmod", doc = "Vert.x functions whose bodies run on a Vert.x context.")
    public static final class VertxContextModule {
        private static final Vertx VERTX = Vertx.vertx();
        static final Context CONTEXT = VERTX.getOrCreateContext();
        private static final HttpClientAgent HTTP = VERTX.createHttpClient();
        private static volatile Future<HttpServer> server;
        private static final AtomicLong CLOSED_FILES = new AtomicLong();

        /** The {@link BodyServer}, started once. */
        private static synchronized Future<HttpServer> server() {
            if (server == null) {
                server = BodyServer.listen(VERTX);
            }
            return server;
        }

        @PyFunction(doc = "Whether the body ran on the module's Vert.x context.")
        public static Future<Boolean> onContext() {
            return Future.succeededFuture(Vertx.currentContext() == CONTEXT);
        }

        @PyFunction(doc = "GET /?size=n, then the body: the two steps whose handlers are lost off a Vert.x context.")
        public static Future<byte[]> httpBody(long size) {
            return server().compose(s -> HTTP.request(HttpMethod.GET, s.actualPort(), "127.0.0.1", "/?size=" + size))
                    .compose(HttpClientRequest::send)
                    .compose(HttpClientResponse::body)
                    .map(Buffer::getBytes);
        }

        private static volatile RecordingStream lastRecording;

        @PyFunction(doc = "A RecordingStream of 0..count-1 on this module's context, handed over by a future.")
        public static Future<ReadStream<Long>> recording(long count) {
            RecordingStream stream = new RecordingStream(CONTEXT, count);
            lastRecording = stream;
            return Future.succeededFuture(stream);
        }

        @PyFunction(
                name = "offContextCalls",
                doc = "The methods of the last recording() stream called off its context.")
        public static List<String> offContextCalls() {
            return List.copyOf(lastRecording.offContext);
        }

        @PyFunction(name = "closedFiles", doc = "How many files fileLines closed because Python stopped early.")
        public static long closedFiles() {
            return CLOSED_FILES.get();
        }

        @PyFunction(
                doc =
                        "The lines of a file through a Vert.x AsyncFile, returned by the body as it is "
                                + "(not paused; the file reads asynchronously, so jawait's pause comes first). Cancelling closes the file.")
        public static Future<ReadStream<Buffer>> fileLines(String path, Cancellation cancellation) {
            return VERTX.fileSystem()
                    .open(path, new OpenOptions().setRead(true))
                    .map(file -> {
                        cancellation.onCancel(() -> {
                            CLOSED_FILES.incrementAndGet();
                            CONTEXT.runOnContext(v -> file.close()); // hooks run on the Python thread
                        });
                        return RecordParser.newDelimited("\n", file);
                    });
        }
    }

    /**
     * A ReadStream of 0..count-1 that emits on its context as fetched, and notes each of its
     * methods called off that context (Vert.x streams are not thread-safe).
     */
    static final class RecordingStream implements ReadStream<Long> {
        final List<String> offContext = Collections.synchronizedList(new ArrayList<>());
        private final Context context;
        private final long count;
        private long next;
        private long demand = Long.MAX_VALUE; // flowing until paused
        private boolean ended;
        private io.vertx.core.Handler<Long> handler;
        private io.vertx.core.Handler<Void> endHandler;

        RecordingStream(Context context, long count) {
            this.context = context;
            this.count = count;
        }

        private void note(String method) {
            if (Vertx.currentContext() != context) {
                offContext.add(method);
            }
        }

        @Override
        public ReadStream<Long> exceptionHandler(io.vertx.core.Handler<Throwable> h) {
            note("exceptionHandler");
            return this;
        }

        @Override
        public ReadStream<Long> handler(io.vertx.core.Handler<Long> h) {
            note("handler");
            handler = h;
            emit();
            return this;
        }

        @Override
        public ReadStream<Long> pause() {
            note("pause");
            demand = 0;
            return this;
        }

        @Override
        public ReadStream<Long> resume() {
            note("resume");
            return fetch(Long.MAX_VALUE);
        }

        @Override
        public ReadStream<Long> fetch(long amount) {
            note("fetch");
            demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
            context.runOnContext(v -> emit());
            return this;
        }

        @Override
        public ReadStream<Long> endHandler(io.vertx.core.Handler<Void> h) {
            note("endHandler");
            endHandler = h;
            return this;
        }

        private void emit() {
            while (demand > 0 && next < count && handler != null) {
                demand--;
                handler.handle(next++);
            }
            if (next == count && !ended && endHandler != null) {
                ended = true;
                endHandler.handle(null);
            }
        }
    }

    /** Bodies that never run: the executor refuses them. */
    @PyModule(value = "jawait_rejecting_testmod", doc = "An async function whose executor refuses it.")
    public static final class Rejecting {
        @PyFunction(doc = "Never runs.")
        public static CompletableFuture<String> work() {
            return CompletableFuture.completedFuture("ran");
        }
    }
}
