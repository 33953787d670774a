package dev.jawait.examples.shop;

import dev.jawait.export.Cancellation;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * {@code import shop}: Vert.x async work as Python coroutines. Each function returns a Vert.x
 * {@code Future}; Python awaits it under asyncio or trio (the default sniffio backend tells which).
 */
@PyModule(value = "shop", doc = "The shop's Vert.x side: timers and HTTP calls, awaitable from asyncio and trio.")
public class ShopModule {
    private final Vertx vertx;
    private final HttpClientAgent client;
    private final int port;

    public ShopModule(Vertx vertx, HttpClientAgent client, int port) {
        this.vertx = vertx;
        this.client = client;
        this.port = port;
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

    @PyFunction(name = "fetch_price", doc = "Asks the shop's HTTP server for an item's price; LookupError if it has none.")
    public Future<Double> fetchPrice(String item) {
        String uri = "/price?item=" + URLEncoder.encode(item, StandardCharsets.UTF_8);
        return client.request(HttpMethod.GET, port, "127.0.0.1", uri)
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200
                        ? response.body().map(body -> body.toJsonObject().getDouble("price"))
                        : Future.failedFuture(new NoSuchElementException("the shop has no price for '" + item + "'"
                                + " (HTTP " + response.statusCode() + ")")));
    }

    /** For the app: a GET to the shop's own server, as text. */
    Future<String> get(String uri) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", uri)
                .compose(request -> request.send())
                .compose(HttpClientResponse::body)
                .map(body -> body.toString());
    }
}
