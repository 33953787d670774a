package dev.jawait.examples.shop;

import dev.jawait.export.Cancellation;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.streams.ReadStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code import shop}: Vert.x async work as Python coroutines and async generators. Each function
 * returns a Vert.x {@code Future} (or a future of a {@code ReadStream}); Python awaits it under
 * asyncio or trio (the default sniffio backend tells which).
 *
 * <p>HTTP client code that sets a response's handlers after an asynchronous step ({@code send()},
 * then {@code body()}) must run on a Vert.x context, or the response can arrive before its handler
 * and be lost: {@link #definition} runs the bodies on this module's context, not on the Python
 * thread that awaits them.
 */
@PyModule(value = "shop", doc = "The shop's Vert.x side: timers and HTTP calls, awaitable from asyncio and trio.")
public class ShopModule {
    private final Vertx vertx;
    private final Context context;
    private final HttpClientAgent client;
    private final int port;

    public ShopModule(Vertx vertx, HttpClientAgent client, int port) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = client;
        this.port = port;
    }

    /** The module to register: its async functions run on this module's Vert.x context. */
    public ModuleDefinition definition() {
        return ModuleDefinition.of(this).runningOn(task -> context.runOnContext(ignored -> task.run()));
    }

    @PyFunction(doc = "Waits on a Vert.x timer. Cancelling the coroutine cancels the timer.")
    public Future<Void> sleep(double seconds, Cancellation cancellation) {
        Promise<Void> promise = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, (long) (seconds * 1000)), id -> promise.tryComplete());
        cancellation.onCancel(() -> {
            vertx.cancelTimer(timer);
            promise.tryFail("cancelled");
        });
        return promise.future();
    }

    @PyFunction(
            name = "fetch_price",
            doc = "Asks the shop's HTTP server for an item's price; LookupError if it has none.")
    public Future<Double> fetchPrice(String item) {
        String uri = "/price?item=" + URLEncoder.encode(item, StandardCharsets.UTF_8);
        return send(uri)
                .compose(response -> response.statusCode() == 200
                        ? response.body().map(body -> body.toJsonObject().getDouble("price"))
                        : Future.failedFuture(new NoSuchElementException(
                                "the shop has no price for '" + item + "'" + " (HTTP " + response.statusCode() + ")")));
    }

    @PyFunction(
            doc = "The catalogue's lines (bytes), streamed from the shop's HTTP server. The body is read "
                    + "only as fast as Python consumes it; the request is reset if Python stops early.")
    public Future<ReadStream<Buffer>> catalogue(Cancellation cancellation) {
        return send("/catalogue").map(response -> {
            // Pause before wrapping: the parser sets a handler, which would take what already arrived.
            response.pause();
            cancellation.onCancel(
                    () -> context.runOnContext(ignored -> response.request().reset()));
            return RecordParser.newDelimited("\n", response);
        });
    }

    /** For the app: a GET to the shop's own server, as text. */
    Future<String> get(String uri) {
        return onContext(() -> send(uri).compose(HttpClientResponse::body).map(Buffer::toString));
    }

    /** For the app: a GET to the shop's own server, handing each chunk of the body to {@code onChunk} as it arrives. */
    Future<Void> getChunks(String uri, Consumer<String> onChunk) {
        return onContext(() -> send(uri).compose(response -> {
            Promise<Void> done = Promise.promise();
            response.handler(chunk -> onChunk.accept(chunk.toString()))
                    .exceptionHandler(done::tryFail)
                    .endHandler(ignored -> done.tryComplete());
            return done.future();
        }));
    }

    private Future<HttpClientResponse> send(String uri) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", uri).compose(HttpClientRequest::send);
    }

    /** Runs {@code work} on this module's Vert.x context, from any thread (the app calls from its main thread). */
    private <T> Future<T> onContext(Supplier<Future<T>> work) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(ignored -> work.get().onComplete(promise));
        return promise.future();
    }
}
