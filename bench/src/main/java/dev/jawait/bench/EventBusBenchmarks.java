package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests on the Vert.x event bus answered by a Python consumer, and made by a Python client, each
 * against the same exchange between Java peers measured in the same run; locally, and across two
 * clustered nodes on loopback ({@link ClusterNode} is the other JVM); and by 1 and 2 consumers in
 * isolated interpreters (CPython 3.12+), for what a second core buys. The consumer's floor is the
 * same exchange in Python alone: the bridge's share of a message is what a Python consumer costs
 * beyond it. The client's floor is its awaits alone, an asyncio future and a task resumption per
 * request, which no client on asyncio can go below. Each figure is measured in turns with its
 * baselines ({@link Measure#inTurns}).
 */
final class EventBusBenchmarks {
    private EventBusBenchmarks() {}

    private static final int REQUESTS = 200_000;
    private static final int CLUSTER_REQUESTS = 100_000;
    /** Requests in flight at once, for every client. */
    static final int WINDOW = 256;

    static final JsonObject ORDER = new JsonObject().put("item", "tea").put("qty", 3);

    static void run(Python python, Measure.Plan plan, Report report) throws Exception {
        PyObject module = PythonSources.load(python, "jawait_bench/eventbus.py", "jawait_bench_eventbus");
        PyObject serve = python.attach(py -> module.getAttr("serve"));
        PyObject client = python.attach(py -> module.getAttr("client"));
        PyObject inloop = python.attach(py -> module.getAttr("inloop"));
        PyObject futuresOnly = python.attach(py -> module.getAttr("futures_only"));
        Vertx vertx = Vertx.vertx();
        try (EventLoop loop = EventLoop.start(python, "asyncio")) {
            int requests = plan.ops(REQUESTS);
            JavaClient java = new JavaClient();
            await(vertx.deployVerticle(java));
            await(vertx.deployVerticle(new JavaConsumer("bench.quote.java")));
            PyObject consumer = loop.submit(PyObject.class, serve, vertx, "bench.quote.python")
                    .join();
            double[] consumers = Measure.inTurns(
                    plan,
                    () -> java.rate("bench.quote.java", requests),
                    () -> loop.submit(Double.class, inloop, requests, WINDOW).join(),
                    () -> java.rate("bench.quote.python", requests));
            report.add("eventbus.request.java_consumer_per_s", consumers[0]);
            report.add("baseline.eventbus.python_handler_inloop_per_s", consumers[1]);
            report.add(
                    "eventbus.request.python_consumer_per_s",
                    consumers[2],
                    "eventbus.request.java_consumer_per_s",
                    "baseline.eventbus.python_handler_inloop_per_s");
            double[] clients = Measure.inTurns(
                    plan,
                    () -> java.rate("bench.quote.java", requests),
                    () -> loop.submit(Double.class, futuresOnly, requests, WINDOW)
                            .join(),
                    () -> loop.submit(Double.class, client, vertx, "bench.quote.java", requests, WINDOW)
                            .join());
            report.add("eventbus.request.java_client_per_s", clients[0]);
            report.add("baseline.eventbus.python_client_futures_only_per_s", clients[1]);
            report.add(
                    "eventbus.request.python_client_per_s",
                    clients[2],
                    "eventbus.request.java_client_per_s",
                    "baseline.eventbus.python_client_futures_only_per_s");
            unregister(python, loop, consumer);
            isolated(python, plan, vertx, java, requests, report);
        } finally {
            await(vertx.close());
        }
        cluster(python, plan, client, report);
        python.run(py -> {
            serve.close();
            client.close();
            inloop.close();
            futuresOnly.close();
            module.close();
        });
    }

    /**
     * The same consumer in isolated interpreters (CPython 3.12+), each on an asyncio loop of its
     * own: one, then two sharing the address (Vert.x takes turns between them), as a Python verticle
     * deployed with instances 2 and isolated would run.
     */
    private static void isolated(
            Python python, Measure.Plan plan, Vertx vertx, JavaClient java, int requests, Report report) {
        String[] version = python.version().split("\\.");
        if (Integer.parseInt(version[0]) == 3 && Integer.parseInt(version[1]) < 12) {
            System.out.println(
                    "eventbus: isolated consumers skipped, isolated interpreters need CPython 3.12+ (this is "
                            + python.version() + ")");
            return;
        }
        List<Python> interpreters = new ArrayList<>();
        List<EventLoop> loops = new ArrayList<>();
        List<PyObject> consumers = new ArrayList<>();
        try {
            for (int instances = 1; instances <= 2; instances++) {
                Python isolated = python.newIsolatedInterpreter();
                interpreters.add(isolated);
                PyObject module = PythonSources.load(isolated, "jawait_bench/eventbus.py", "jawait_bench_eventbus");
                PyObject serve = isolated.attach(py -> module.getAttr("serve"));
                EventLoop loop = EventLoop.start(isolated, "asyncio", "isolated-" + instances);
                loops.add(loop);
                consumers.add(loop.submit(PyObject.class, serve, vertx, "bench.quote.isolated")
                        .join());
                isolated.run(py -> {
                    serve.close();
                    module.close();
                });
                report.add(
                        "eventbus.request.python_consumer_isolated_" + instances + "_per_s",
                        Measure.median(plan, () -> java.rate("bench.quote.isolated", requests)),
                        instances == 1
                                ? "eventbus.request.python_consumer_per_s"
                                : "eventbus.request.python_consumer_isolated_1_per_s");
            }
        } finally {
            for (int i = 0; i < consumers.size(); i++) {
                unregister(interpreters.get(i), loops.get(i), consumers.get(i));
            }
            loops.forEach(EventLoop::close);
            interpreters.forEach(Python::close);
        }
    }

    private static void unregister(Python python, EventLoop loop, PyObject consumer) {
        PyObject unregister = python.attach(py -> consumer.getAttr("unregister"));
        loop.submit(unregister).join();
        python.run(py -> {
            unregister.close();
            consumer.close();
        });
    }

    /** Across two nodes: the other one, a child JVM, answers with a Java and a Python consumer. */
    private static void cluster(Python python, Measure.Plan plan, PyObject client, Report report) throws Exception {
        int requests = plan.ops(CLUSTER_REQUESTS);
        ClusterNode.Config config = ClusterNode.Config.fresh();
        try (ClusterNode.Child other = ClusterNode.Child.start(config);
                EventLoop loop = EventLoop.start(python, "asyncio")) {
            Vertx vertx = await(config.join());
            try {
                other.awaitReachable(vertx);
                JavaClient java = new JavaClient();
                await(vertx.deployVerticle(java));
                double[] rates = Measure.inTurns(
                        plan,
                        () -> java.rate(ClusterNode.JAVA_ADDRESS, requests),
                        () -> loop.submit(Double.class, client, vertx, ClusterNode.PYTHON_ADDRESS, requests, WINDOW)
                                .join());
                report.add("eventbus.cluster.java_request_per_s", rates[0]);
                report.add("eventbus.cluster.request_per_s", rates[1], "eventbus.cluster.java_request_per_s");
            } finally {
                await(vertx.close());
            }
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /**
     * The Java client of the benchmarks: a verticle, deployed once so that every round runs on the
     * same event loop, that sends {@code total} requests, {@link #WINDOW} in flight at once.
     */
    static final class JavaClient extends VerticleBase {
        /** Requests per second to {@code address}; any thread but the client's own. */
        double rate(String address, int total) {
            CompletableFuture<Double> rate = new CompletableFuture<>();
            context.runOnContext(v -> new Round(address, total, rate).start());
            return rate.join();
        }

        private final class Round {
            private final String address;
            private final int total;
            private final CompletableFuture<Double> rate;
            private final long start = System.nanoTime();
            private int sent;
            private int answered;

            Round(String address, int total, CompletableFuture<Double> rate) {
                this.address = address;
                this.total = total;
                this.rate = rate;
            }

            void start() {
                for (int i = 0; i < WINDOW; i++) {
                    next();
                }
            }

            private void next() {
                if (sent++ >= total) {
                    return;
                }
                vertx.eventBus().<JsonObject>request(address, ORDER).onComplete(reply -> {
                    if (reply.failed() || reply.result().body().getDouble("total") != 13.5) {
                        rate.completeExceptionally(
                                reply.failed()
                                        ? reply.cause()
                                        : new AssertionError(reply.result().body()));
                    } else if (++answered == total) {
                        rate.complete(total / ((System.nanoTime() - start) / 1e9));
                    } else {
                        next();
                    }
                });
            }
        }
    }

    /** The Java consumer of the benchmarks: the same quote as the Python one. */
    static final class JavaConsumer extends VerticleBase {
        private final String address;

        JavaConsumer(String address) {
            this.address = address;
        }

        @Override
        public Future<?> start() {
            return vertx.eventBus()
                    .<JsonObject>consumer(address, message -> {
                        JsonObject order = message.body();
                        message.reply(new JsonObject()
                                .put("item", order.getString("item"))
                                .put("total", order.getInteger("qty") * 4.5));
                    })
                    .completion();
        }
    }
}
