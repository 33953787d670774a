package com.example.quotes;

import dev.jawait.async.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** GET /quote?item=tea answers with what the Python coroutine quotes.quote(item) returns. */
public class QuoteVerticle extends VerticleBase {
    private final EventLoop python;
    private HttpServer server;

    public QuoteVerticle(EventLoop python) {
        this.python = python;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer().requestHandler(request -> {
            Context handler = Vertx.currentContext();
            python.future(String.class, "quotes.quote", request.getParam("item"))
                    .onSuccess(quote -> request.response()
                            .putHeader("x-on-handler-context", String.valueOf(Vertx.currentContext() == handler))
                            .end(quote))
                    .onFailure(error -> request.response().setStatusCode(404).end(error.getMessage()));
        }).listen(0, "127.0.0.1").onSuccess(listening -> server = listening);
    }

    public int port() {
        return server.actualPort();
    }
}
