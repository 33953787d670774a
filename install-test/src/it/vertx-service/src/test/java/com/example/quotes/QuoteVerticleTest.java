package com.example.quotes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class QuoteVerticleTest {
    @Test
    void theHandlerAwaitsPython() {
        Vertx vertx = Vertx.vertx();
        try (Python python = Python.builder().pythonPath("src/main/python").start();
             EventLoop loop = EventLoop.start(python, "asyncio")) {
            QuoteVerticle verticle = new QuoteVerticle(loop);
            vertx.deployVerticle(verticle).await();
            HttpClientAgent client = vertx.createHttpClient();
            assertEquals("200 true tea: 4.50", get(client, verticle.port(), "/quote?item=tea").await());
            assertEquals("404 null LookupError: no price for 'gold'", get(client, verticle.port(), "/quote?item=gold").await());
        } finally {
            vertx.close().await();
        }
    }

    private static Future<String> get(HttpClientAgent client, int port, String uri) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", uri)
                .compose(HttpClientRequest::send)
                .compose(response -> response.body().map(body -> response.statusCode() + " "
                        + response.getHeader("x-on-handler-context") + " " + body));
    }
}
