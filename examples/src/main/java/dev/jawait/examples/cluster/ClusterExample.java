package dev.jawait.examples.cluster;

import com.hazelcast.config.Config;
import dev.jawait.Python;
import dev.jawait.export.ModuleDefinition;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster example: two nodes on 127.0.0.1, joined by the clustered event bus (Hazelcast, TCP
 * join on loopback: {@code examples/cluster/cluster.xml}).
 *
 * <ol>
 *   <li>Node 1, a JVM of its own: a Python pricing service on trio, run as a verticle by
 *       {@code jawait run pricing_service --loop trio --cluster} ({@code examples/python/cluster}).</li>
 *   <li>Node 2, this JVM: a Java HTTP front end ({@link FrontEnd}) whose {@code /quote} asks the
 *       pricing service over the event bus, and an asyncio Python client that asks it directly.</li>
 * </ol>
 *
 * It starts both nodes, prints what each does, then stops both (node 1 by SIGTERM, which
 * undeploys the verticle). Run it with {@code scripts/cluster-example}, which also keeps Java's
 * logging to warnings ({@code examples/cluster/logging.properties}; node 1 always gets it).
 */
public final class ClusterExample {
    private ClusterExample() {}

    public static void main(String[] args) throws Exception {
        Path examples = Path.of(args.length > 0 ? args[0] : "examples").toAbsolutePath();
        Path clusterXml = examples.resolve("cluster/cluster.xml");

        System.out.println(
                "[example] node 1: jawait run pricing_service --loop trio --cluster --cluster-host 127.0.0.1");
        Process node1 = startNode1(examples, clusterXml);
        Thread echo = echo(node1.getInputStream(), "[node 1] ");
        Vertx vertx = null;
        try {
            System.out.println("[example] node 2 (this JVM) joins the cluster");
            vertx = Vertx.builder()
                    .with(new VertxOptions()
                            .setEventBusOptions(
                                    new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1")))
                    .withClusterManager(new HazelcastClusterManager(Config.loadFromFile(clusterXml.toFile())))
                    .buildClustered()
                    .await(2, TimeUnit.MINUTES);
            awaitPricing(vertx);

            FrontEnd frontEnd = new FrontEnd();
            vertx.deployVerticle(frontEnd).await(1, TimeUnit.MINUTES);
            System.out.println("[node 2] Java HTTP front end on http://127.0.0.1:" + frontEnd.port());
            HttpClientAgent http = vertx.createHttpClient();
            for (String uri : List.of("/quote?item=tea&qty=3", "/quote?item=coffee&qty=12", "/quote?item=gold&qty=1")) {
                String answer = http.request(HttpMethod.GET, frontEnd.port(), "127.0.0.1", uri)
                        .compose(request -> request.send()) // the body handler is set as the response arrives
                        .compose(response -> response.body().map(body -> response.statusCode() + " " + body))
                        .await(1, TimeUnit.MINUTES);
                System.out.println("[node 2] GET " + uri + " -> " + answer);
            }

            System.out.println("[node 2] an asyncio client asks the pricing service directly:");
            Vertx node2 = vertx;
            try (Python python = Python.builder()
                    .module(ModuleDefinition.builder("cluster_example")
                            .function(
                                    "vertx",
                                    f -> f.doc("Node 2's clustered Vert.x instance.")
                                            .body(a -> node2))
                            .build())
                    .start()) {
                python.run(py -> py.runFile(examples.resolve("python/cluster/client_asyncio.py")));
            }
        } finally {
            if (vertx != null) {
                vertx.close().await(1, TimeUnit.MINUTES);
                System.out.println("[example] node 2 left the cluster");
            }
            node1.toHandle().destroy(); // SIGTERM: Vert.x undeploys the Python verticle, which says goodbye
            boolean ended = node1.waitFor(1, TimeUnit.MINUTES);
            echo.join(TimeUnit.SECONDS.toMillis(10));
            System.out.println("[example] node 1 " + (ended ? "stopped" : "did not stop; killed"));
            if (!ended) {
                node1.destroyForcibly();
            }
        }
        System.out.println("[example] done");
        System.exit(0);
    }

    /** What Hazelcast asks a modular JDK to open to it; without them it warns at start-up (bin/jawait gives them too). */
    static final List<String> HAZELCAST_JVM_OPTIONS = List.of(
            "--add-modules",
            "java.se",
            "--add-exports",
            "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.management/sun.management=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** {@code jawait run ...} in a JVM of its own, with this JVM's class path and Python. */
    private static Process startNode1(Path examples, Path clusterXml) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                absolute(System.getProperty("java.class.path")),
                "-Dvertx.hazelcast.config=" + clusterXml,
                "-Djava.util.logging.config.file=" + examples.resolve("cluster/logging.properties")));
        command.addAll(HAZELCAST_JVM_OPTIONS);
        String python = System.getProperty("jawait.python");
        if (python != null && !python.isBlank()) {
            command.add("-Djawait.python=" + python);
        }
        command.addAll(List.of(
                "dev.jawait.launcher.Main",
                "run",
                "pricing_service",
                "--loop",
                "trio",
                "--cluster",
                "--cluster-host",
                "127.0.0.1"));
        return new ProcessBuilder(command)
                .directory(examples.resolve("python/cluster").toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String absolute(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Copies a node's output to ours, each line prefixed. */
    private static Thread echo(InputStream output, String prefix) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            System.out.println(prefix + line);
                        }
                    } catch (IOException ended) {
                        // the node is gone
                    }
                },
                "node 1 output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Waits (up to two minutes) until node 1's service answers across the cluster. It asks with a
     * readiness probe (an order of no item), which the service answers without counting it as a
     * quote: a probe that timed out here may still have been served there, and be asked again.
     */
    private static void awaitPricing(Vertx vertx) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try {
                vertx.eventBus()
                        .request("pricing.quote", new JsonObject(), new DeliveryOptions().setSendTimeout(2000))
                        .await(5, TimeUnit.SECONDS);
                System.out.println("[node 2] the pricing service on node 1 answers");
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node 1's pricing service did not answer within 2 minutes", notYet);
                }
                Thread.sleep(200);
            }
        }
    }
}
