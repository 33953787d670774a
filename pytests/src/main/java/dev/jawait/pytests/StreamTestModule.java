package dev.jawait.pytests;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.async.EventLoop;
import dev.jawait.async.PythonStreams;
import dev.jawait.diagnostics.Diagnostics;
import dev.jawait.export.Cancellation;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The Java side of the stream pytest suites: {@code import jawait_stream_testmod}. */
@PyModule(value = "jawait_stream_testmod", doc = "Java streams exercised by jawait's pytest suites.")
public class StreamTestModule implements ModuleProvider {
    private static final Vertx VERTX = Vertx.vertx();
    private static final HttpClientAgent HTTP = VERTX.createHttpClient();
    private static final io.vertx.core.Context HTTP_CONTEXT = VERTX.getOrCreateContext();
    private static final Map<String, Stats> STATS = new ConcurrentHashMap<>();

    /** What a test publisher saw. */
    static final class Stats {
        final AtomicLong requested = new AtomicLong();
        final AtomicLong emitted = new AtomicLong();
        volatile boolean cancelled;
        volatile Flow.Subscriber<? super Long> subscriber;
        volatile CompletableFuture<?> future;
        final CountDownLatch subscribed = new CountDownLatch(1);
    }

    private static Stats stats(String tag) {
        return STATS.computeIfAbsent(tag, t -> new Stats());
    }

    /** 0..count-1, emitted inside request() on the requesting thread, respecting demand. */
    @PyFunction(doc = "A publisher of 0..count-1 that emits synchronously on demand.")
    public static Flow.Publisher<Long> count(String tag, long count) {
        return new DemandPublisher<>(count, i -> i, null, stats(tag));
    }

    @PyFunction(prefetch = 16, doc = "count() with a prefetch of 16.")
    public static Flow.Publisher<Long> countSmallPrefetch(String tag, long count) {
        return count(tag, count);
    }

    @PyFunction(backend = "trio", doc = "count() bound to the trio backend.")
    public static Flow.Publisher<Long> countTrio(String tag, long count) {
        return count(tag, count);
    }

    /**
     * Up to {@code limit} items, emitted by a producer thread as fast as demand allows: the
     * consumer's pace alone bounds what is buffered.
     */
    @PyFunction(prefetch = 64, doc = "A producer thread emitting as fast as demand allows (prefetch 64).")
    public static Flow.Publisher<Long> fastProducer(String tag, long limit) {
        Stats stats = stats(tag);
        return subscriber -> {
            stats.subscriber = subscriber;
            Object signal = new Object();
            Thread producer = new Thread(
                    () -> {
                        long next = 0;
                        while (next < limit && !stats.cancelled) {
                            synchronized (signal) {
                                while (stats.requested.get() <= stats.emitted.get() && !stats.cancelled) {
                                    try {
                                        signal.wait(10);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            }
                            if (!stats.cancelled) {
                                stats.emitted.incrementAndGet();
                                subscriber.onNext(next++);
                            }
                        }
                        if (!stats.cancelled) {
                            subscriber.onComplete();
                        }
                    },
                    "jawait-test-producer");
            producer.setDaemon(true);
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    stats.requested.addAndGet(n);
                    synchronized (signal) {
                        signal.notifyAll();
                    }
                }

                @Override
                public void cancel() {
                    stats.cancelled = true;
                }
            });
            producer.start();
            stats.subscribed.countDown();
        };
    }

    @PyFunction(doc = "The same object n times, emitted synchronously on demand.")
    public static Flow.Publisher<Object> repeat(Object item, long n) {
        return new DemandPublisher<>(n, i -> item, null, null);
    }

    @PyFunction(doc = "Emits count items, then fails with IllegalStateException(message).")
    public static Flow.Publisher<Long> failing(long count, String message) {
        return new DemandPublisher<>(count, i -> i, new IllegalStateException(message), null);
    }

    /** A publisher whose items are sent by {@link #emitHoldingGil} from another thread. */
    @PyFunction(prefetch = 1024, doc = "A publisher fed by emitHoldingGil(tag, n).")
    public static Flow.Publisher<Long> manual(String tag) {
        Stats stats = stats(tag);
        return subscriber -> {
            stats.subscriber = subscriber;
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    stats.requested.addAndGet(n);
                }

                @Override
                public void cancel() {
                    stats.cancelled = true;
                }
            });
            stats.subscribed.countDown();
        };
    }

    @PyFunction(
            doc = "From a Java thread, sends n items (and completes) to manual(tag) while this call holds the "
                    + "GIL, so the loop cannot take any of them before all have arrived.")
    public static void emitHoldingGil(String tag, long n) throws Exception {
        Stats stats = stats(tag);
        Thread sender = new Thread(() -> {
            try {
                stats.subscribed.await();
            } catch (InterruptedException e) {
                return;
            }
            for (long i = 0; i < n; i++) {
                stats.subscriber.onNext(i);
            }
            stats.subscriber.onComplete();
        });
        sender.start();
        sender.join(TimeUnit.SECONDS.toMillis(30));
    }

    @PyFunction(
            doc = "What publisher tag saw: requested, emitted, cancelled, and the largest buffer of its subscriber.")
    public static Map<String, Object> stats(Py py, String tag) {
        Stats stats = stats(tag);
        int maxBuffered = Diagnostics.maxBuffered(stats.subscriber);
        return Map.of(
                "requested",
                stats.requested.get(),
                "emitted",
                stats.emitted.get(),
                "cancelled",
                stats.cancelled,
                "max_buffered",
                (long) maxBuffered,
                "future_cancelled",
                stats.future != null && stats.future.isCancelled());
    }

    @PyFunction(
            releaseGil = true,
            doc = "Runs the Java garbage collector until PyObjects that Java dropped are queued "
                    + "for release (the next call into Java releases them).")
    public static void collectJavaGarbage() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    @PyFunction(doc = "How many times Java woke any event loop.")
    public static long wakes() {
        return Diagnostics.wakes();
    }

    // ---- Vert.x ReadStream ------------------------------------------------------------------------

    @PyFunction(
            doc = "The lines of text, read back from a temporary file through a Vert.x AsyncFile "
                    + "and a RecordParser; cancelling the stream closes the file.")
    public static Future<ReadStream<Buffer>> vertxLines(String text, Cancellation cancellation) throws Exception {
        Path file = Files.createTempFile("jawait-lines", ".txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        // A RecordParser is not thread-safe, even paused (its fetch resumes the file): it is handed
        // over as a future completed on the file's context, where jawait then drives it.
        return VERTX.fileSystem()
                .open(file.toString(), new OpenOptions().setRead(true))
                .map(asyncFile -> {
                    cancellation.onCancel(asyncFile::close);
                    RecordParser lines = RecordParser.newDelimited("\n", asyncFile);
                    lines.pause();
                    return lines;
                });
    }

    // ---- futures of streams ------------------------------------------------------------------------

    @PyFunction(doc = "count(tag, count), handed over by a future that completes after delay_ms on another thread.")
    public static CompletableFuture<Flow.Publisher<Long>> countLater(String tag, long count, long delayMs) {
        CompletableFuture<Flow.Publisher<Long>> future = CompletableFuture.supplyAsync(
                () -> count(tag, count), CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
        stats(tag).future = future;
        return future;
    }

    @PyFunction(doc = "A future of a stream that fails with IllegalStateException(message).")
    public static CompletableFuture<Flow.Publisher<Long>> failedStream(String message) {
        return CompletableFuture.failedFuture(new IllegalStateException(message));
    }

    @PyFunction(doc = "A future of a stream that completes with null.")
    public static CompletableFuture<Flow.Publisher<Long>> nullStream() {
        return CompletableFuture.completedFuture(null);
    }

    private static volatile Future<HttpServer> bodyServer;

    /** The {@link BodyServer}, started once. */
    private static synchronized Future<HttpServer> bodyServer() {
        if (bodyServer == null) {
            bodyServer = BodyServer.listen(VERTX);
        }
        return bodyServer;
    }

    @PyFunction(
            doc = "The body of a local HTTP response of size bytes (byte i is i % 251), as the Vert.x "
                    + "HttpClientResponse that the request's Future completes with (paused, as it should be).")
    public static Future<HttpClientResponse> httpBody(long size) {
        Promise<HttpClientResponse> response = Promise.promise();
        HTTP_CONTEXT.runOnContext(v -> bodyServer()
                .compose(server -> HTTP.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/?size=" + size))
                .compose(HttpClientRequest::send)
                .map(HttpClientResponse::pause)
                .onComplete(response));
        return response.future();
    }

    @PyFunction(doc = "An HttpClientResponse whose body was read already: it refuses handlers.")
    public static Future<HttpClientResponse> httpBodyAlreadyRead() {
        Promise<HttpClientResponse> response = Promise.promise();
        HTTP_CONTEXT.runOnContext(v -> bodyServer()
                .compose(server -> HTTP.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/?size=10"))
                .compose(HttpClientRequest::send)
                .compose(sent -> sent.body().map(body -> sent))
                .onComplete(response));
        return response.future();
    }

    // ---- Python to Java -----------------------------------------------------------------------------

    /**
     * Collects what a publisher sends into a list: requests {@code batch} items, and {@code batch}
     * more each time those arrived if {@code refill}; cancels once {@code cancelAfter} arrived (0:
     * never). The list completes {@link #result} at the end, at the cancel, or once a batch that is
     * not refilled arrived.
     */
    private static final class Collector implements Flow.Subscriber<Object> {
        final CompletableFuture<List<Object>> result = new CompletableFuture<>();
        private final List<Object> items = new ArrayList<>();
        private final long batch;
        private final boolean refill;
        private final long cancelAfter;
        private Flow.Subscription subscription;
        private long left;

        Collector(long batch, boolean refill, long cancelAfter) {
            this.batch = batch;
            this.refill = refill;
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            left = batch;
            s.request(batch);
        }

        @Override
        public void onNext(Object item) {
            items.add(item);
            if (items.size() == cancelAfter) {
                subscription.cancel();
                result.complete(items);
            } else if (--left == 0) {
                if (refill) {
                    left = batch;
                    subscription.request(batch);
                } else {
                    result.complete(items);
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(items);
        }
    }

    @PyFunction(doc = "Subscribes to a Python async iterable, requesting batch items at a time; the list of all items.")
    public static CompletableFuture<List<Object>> collect(Py py, PyObject iterable, long batch) {
        Collector collector = new Collector(batch, true, 0);
        PythonStreams.toPublisher(py, iterable, Object.class).subscribe(collector);
        return collector.result;
    }

    @PyFunction(doc = "Requests n items from a Python async iterable, then cancels; the items.")
    public static CompletableFuture<List<Object>> takeThenCancel(Py py, PyObject iterable, long n) {
        Collector collector = new Collector(n, false, n);
        PythonStreams.toPublisher(py, iterable, Object.class).subscribe(collector);
        return collector.result;
    }

    @PyFunction(doc = "Requests n items from a Python async iterable, but cancels once the first arrived; the items.")
    public static CompletableFuture<List<Object>> cancelAfterFirst(Py py, PyObject iterable, long n) {
        Collector collector = new Collector(n, false, 1);
        PythonStreams.toPublisher(py, iterable, Object.class).subscribe(collector);
        return collector.result;
    }

    @PyFunction(doc = "Requests n items from a Python async iterable and no more; the items once n arrived.")
    public static CompletableFuture<List<Object>> requestOnly(Py py, PyObject iterable, long n) {
        Collector collector = new Collector(n, false, 0);
        PythonStreams.toPublisher(py, iterable, Object.class).subscribe(collector);
        return collector.result;
    }

    @PyFunction(
            doc = "Reads a Python async iterable as a Vert.x ReadStream, paused and fetched 2 items at a time, "
                    + "on a Vert.x context; the items and the threads they arrived on.")
    public static Future<Map<String, Object>> collectReadStream(Py py, PyObject iterable) {
        Promise<Map<String, Object>> result = Promise.promise();
        ReadStream<Object> stream = PythonStreams.toReadStream(py, iterable, Object.class); // iterated on this loop
        VERTX.runOnContext(v -> {
            List<Object> items = new ArrayList<>();
            List<String> threads = new ArrayList<>();
            stream.pause();
            stream.endHandler(end -> result.complete(Map.of(
                    "items", items, "vertx_thread", threads.stream().allMatch(t -> t.startsWith("vert.x-eventloop")))));
            stream.exceptionHandler(result::fail);
            stream.handler(item -> {
                items.add(item);
                threads.add(Thread.currentThread().getName());
                if (items.size() % 2 == 0) {
                    stream.fetch(2);
                }
            });
            stream.fetch(2);
        });
        return result.future();
    }

    @PyFunction(
            doc = "Subscribes from a Java thread to an async iterable (or what source(*arguments) returns, "
                    + "called on the running loop), iterated on that loop.")
    public static CompletableFuture<List<Object>> collectFromJavaThread(
            Py py, PyObject source, List<Object> arguments) {
        EventLoop loop = EventLoop.current(py);
        PyObject kept = source.newReference();
        Collector collector = new Collector(Long.MAX_VALUE, false, 0);
        new Thread(() -> loop.publisher(Object.class, kept, arguments.toArray()).subscribe(collector)).start();
        return collector.result.whenComplete((items, failure) -> kept.close());
    }
}
