package dev.jawait.examples.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The Java HTTP front end of the cluster example: {@code GET /quote?item=tea&qty=3} asks
 * {@code pricing.quote} on the event bus, whichever node of the cluster serves it (a Python verticle
 * here), and answers with its JSON; a failure of the service keeps its code (404 for an unknown
 * item), a service that does not answer is a 504.
 */
public class FrontEnd extends VerticleBase {
    private HttpServer server;

    @Override
    public Future<?> start() {
        return vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(0, "127.0.0.1")
                .onSuccess(listening -> server = listening);
    }

    /** The port it listens on, once started. */
    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        if (!request.path().equals("/quote")) {
            request.response().setStatusCode(404).end();
            return;
        }
        JsonObject order = new JsonObject()
                .put("item", request.getParam("item", ""))
                .put("qty", Integer.parseInt(request.getParam("qty", "1")));
        vertx.eventBus()
                .<JsonObject>request("pricing.quote", order, new DeliveryOptions().setSendTimeout(30_000))
                .onSuccess(reply -> request.response()
                        .putHeader("content-type", "application/json")
                        .end(reply.body().encode()))
                .onFailure(failure -> {
                    int status = failure instanceof ReplyException reply
                            ? reply.failureType() == ReplyFailure.RECIPIENT_FAILURE ? reply.failureCode() : 504
                            : 502;
                    request.response()
                            .setStatusCode(status)
                            .end(new JsonObject()
                                    .put("error", failure.getMessage())
                                    .encode());
                });
    }
}
