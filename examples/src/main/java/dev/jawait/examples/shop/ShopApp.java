package dev.jawait.examples.shop;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * jawait's main example: a Vert.x app and Python async code awaiting each other.
 *
 * <ol>
 *   <li>Vert.x starts an HTTP server on localhost ({@code /price}, {@code /quote}, {@code /catalogue},
 *       {@code /report}).</li>
 *   <li>The Java module {@code shop} exposes Vert.x work as coroutines: a timer, and an HTTP call
 *       to that server.</li>
 *   <li>A trio program and an asyncio program await them (concurrency, cancellation, errors).</li>
 *   <li>The server's {@code /quote} handler awaits a Python coroutine ({@code pricing.quote}) that
 *       runs on an asyncio loop jawait owns, and that itself awaits {@code shop.fetch_price}.</li>
 *   <li>A trio program reads a Vert.x ReadStream (the lines of an HTTP response body) with
 *       {@code async for}.</li>
 *   <li>The server's {@code /report} handler streams a Python async generator
 *       ({@code pricing.report}) as a chunked HTTP response.</li>
 * </ol>
 *
 * Run it with {@code scripts/example}, or
 * {@code java -cp 'target/dist/lib/*' dev.jawait.examples.shop.ShopApp examples/python}.
 */
public final class ShopApp {
    private ShopApp() {}

    private static final Map<String, Double> PRICES = Map.of("tea", 4.5, "coffee", 6.0, "cocoa", 3.25);

    public static void main(String[] args) throws Exception {
        Path scripts = Path.of(args.length > 0 ? args[0] : "examples/python").toAbsolutePath();
        String catalogue =
                scripts.resolveSibling("data").resolve("catalogue.csv").toString();
        Vertx vertx = Vertx.vertx();
        try (Python python = Python.builder().pythonPath(scripts).start();
                EventLoop loop = EventLoop.start(python, "asyncio")) {
            System.out.println("[java] Python " + python.version() + " embedded; an asyncio loop runs for Vert.x");
            // pricing.report, looked up once `shop` is registered (pricing imports it); handlers never take the GIL.
            AtomicReference<PyObject> report = new AtomicReference<>();
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> handle(request, loop, report.get(), catalogue))
                    .listen(0, "127.0.0.1")
                    .await();
            int port = server.actualPort();
            System.out.println("[java] Vert.x HTTP server on http://127.0.0.1:" + port);
            ShopModule shop = new ShopModule(vertx, vertx.createHttpClient(), port);
            python.register(shop.definition());
            report.set(python.attach(py -> {
                try (PyObject pricing = py.importModule("pricing")) {
                    return pricing.getAttr("report");
                }
            }));

            // The first HTTP exchange pays for class loading, JIT and connection set-up; the timings below should not.
            shop.get("/price?item=tea")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            System.out.println(
                    "[java] warmed up with one untimed request (the first HTTP exchange pays Vert.x's start-up)");

            System.out.println("[java] running a trio program that awaits Vert.x futures");
            python.run(py -> py.runFile(scripts.resolve("shop_trio.py")));
            System.out.println("[java] running an asyncio program that awaits Vert.x futures");
            python.run(py -> py.runFile(scripts.resolve("shop_asyncio.py")));

            System.out.println("[java] HTTP requests whose handler awaits a Python coroutine:");
            for (String uri :
                    new String[] {"/quote?item=tea&qty=3", "/quote?item=coffee&qty=12", "/quote?item=gold&qty=1"}) {
                String body =
                        shop.get(uri).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                System.out.println("[java]   GET " + uri + " -> " + body);
            }

            System.out.println("[java] running a trio program that reads a Vert.x ReadStream with async for");
            python.run(py -> py.runFile(scripts.resolve("catalogue_trio.py")));

            System.out.println("[java] GET /report: a Python async generator streamed as a chunked HTTP response");
            long start = System.nanoTime();
            shop.getChunks(
                            "/report",
                            chunk -> System.out.printf(
                                    "[java]   +%3d ms chunk: %s%n",
                                    (System.nanoTime() - start) / 1_000_000, chunk.strip()))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            python.run(py -> report.get().close());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        System.out.println("[java] done");
    }

    /** Runs on a Vert.x event loop; never blocks it (handing Python work over takes no GIL). */
    private static void handle(HttpServerRequest request, EventLoop loop, PyObject report, String catalogue) {
        String item = request.getParam("item", "");
        switch (request.path()) {
            case "/price" -> {
                Double price = PRICES.get(item);
                if (price == null) {
                    request.response()
                            .setStatusCode(404)
                            .end(new JsonObject().put("error", "no such item").encode());
                } else {
                    request.response()
                            .end(new JsonObject()
                                    .put("item", item)
                                    .put("price", price)
                                    .encode());
                }
            }
            case "/quote" -> {
                int quantity = Integer.parseInt(request.getParam("qty", "1"));
                // A Vert.x future, completed on this handler's context: no GIL taken here.
                loop.future(Map.class, "pricing.quote", item, quantity)
                        .onSuccess(result -> request.response().end(new JsonObject(stringKeys(result)).encode()))
                        .onFailure(error -> request.response()
                                .setStatusCode(502)
                                .end(new JsonObject()
                                        .put("error", error.getMessage())
                                        .encode()));
            }
            case "/catalogue" ->
                request.response().putHeader("content-type", "text/csv").sendFile(catalogue);
            case "/report" -> {
                // The generator function is called, and iterated, on the Python loop; chunks follow demand.
                request.response().setChunked(true).putHeader("content-type", "text/csv");
                loop.readStream(Buffer.class, report, List.of("tea", "coffee", "cocoa", "chai"))
                        .pipeTo(request.response());
            }
            default -> request.response().setStatusCode(404).end();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
