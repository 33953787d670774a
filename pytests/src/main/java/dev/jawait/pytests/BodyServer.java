package dev.jawait.pytests;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/** A local HTTP server for the suites: {@code GET /?size=n} answers n bytes, byte i being {@code i % 251}. */
final class BodyServer {
    private BodyServer() {}

    static Future<HttpServer> listen(Vertx vertx) {
        return vertx.createHttpServer()
                .requestHandler(request -> {
                    int size = Integer.parseInt(request.getParam("size"));
                    byte[] body = new byte[size];
                    for (int i = 0; i < size; i++) {
                        body[i] = (byte) (i % 251);
                    }
                    request.response().end(Buffer.buffer(body));
                })
                .listen(0, "127.0.0.1");
    }
}
