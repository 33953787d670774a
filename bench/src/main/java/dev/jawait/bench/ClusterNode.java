package dev.jawait.bench;

import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.vertx.VertxModules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The other node of the clustered benchmarks, run in a child JVM: it joins the cluster and answers
 * on {@link #JAVA_ADDRESS} with a Java consumer and on {@link #PYTHON_ADDRESS} with a Python one,
 * until its standard input closes.
 */
final class ClusterNode {
    private ClusterNode() {}

    static final String JAVA_ADDRESS = "bench.cluster.java";
    static final String PYTHON_ADDRESS = "bench.cluster.python";

    public static void main(String[] args) throws Exception {
        Config config = new Config(args[0], Integer.parseInt(args[1]));
        try (Python python = Python.builder()
                        .discoverModules(false)
                        .module(new VertxModules())
                        .start();
                EventLoop loop = EventLoop.start(python, "asyncio")) {
            Vertx vertx = EventBusBenchmarks.await(config.join());
            PyObject module = PythonSources.load(python, "jawait_bench/eventbus.py", "jawait_bench_eventbus");
            PyObject serve = python.attach(py -> module.getAttr("serve"));
            EventBusBenchmarks.await(vertx.deployVerticle(new EventBusBenchmarks.JavaConsumer(JAVA_ADDRESS)));
            loop.submit(PyObject.class, serve, vertx, PYTHON_ADDRESS).join();
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the benchmark closes our input
            }
            EventBusBenchmarks.await(vertx.close());
        }
        System.exit(0);
    }

    /**
     * A Hazelcast cluster on 127.0.0.1 only: TCP join over ten ports from a free base port, no
     * multicast, no phone-home, a name of its own.
     */
    record Config(String name, int basePort) {
        static Config fresh() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return new Config("jawait-bench-" + UUID.randomUUID(), socket.getLocalPort());
            }
        }

        Future<Vertx> join() {
            com.hazelcast.config.Config hazelcast = new com.hazelcast.config.Config().setClusterName(name);
            hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
            hazelcast.setProperty("hazelcast.logging.type", "none");
            hazelcast.setProperty("hazelcast.socket.bind.any", "false");
            hazelcast.setProperty("hazelcast.wait.seconds.before.join", "0");
            hazelcast.setProperty("hazelcast.tcp.join.port.try.count", "10");
            NetworkConfig network = hazelcast
                    .getNetworkConfig()
                    .setPort(basePort)
                    .setPortAutoIncrement(true)
                    .setPortCount(10);
            network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
            hazelcast.addMultiMapConfig(new MultiMapConfig("__vertx.subs")
                    .setBackupCount(1)
                    .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
            hazelcast.getMapConfig("__vertx.haInfo").setBackupCount(1);
            hazelcast.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
            return Vertx.builder()
                    .with(new VertxOptions()
                            .setEventBusOptions(
                                    new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1")))
                    .withClusterManager(new HazelcastClusterManager(hazelcast))
                    .buildClustered();
        }
    }

    /** A node running in a child JVM with this JVM's class path and Python; closing ends it. */
    static final class Child implements AutoCloseable {
        private final Process process;

        private Child(Process process) {
            this.process = process;
        }

        static Child start(Config config) throws IOException, InterruptedException {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-Djawait.python=" + System.getProperty("jawait.python", ""),
                    "-Dhazelcast.phone.home.enabled=false",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ClusterNode.class.getName(),
                    config.name(),
                    String.valueOf(config.basePort()));
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Child child = new Child(process);
            InputStream out = process.getInputStream();
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (seen.indexOf("ready") < 0) {
                int c = out.read();
                if (c < 0 || System.nanoTime() > deadline) {
                    child.close();
                    throw new IllegalStateException("the other cluster node did not start: " + seen);
                }
                seen.append((char) c);
            }
            return child;
        }

        /** Waits (up to a minute) until this JVM's node reaches both consumers of the other. */
        void awaitReachable(Vertx vertx) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String address : List.of(JAVA_ADDRESS, PYTHON_ADDRESS)) {
                while (true) {
                    try {
                        EventBusBenchmarks.await(vertx.eventBus()
                                .request(
                                        address, EventBusBenchmarks.ORDER, new DeliveryOptions().setSendTimeout(1000)));
                        break;
                    } catch (Exception notYet) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("node B's " + address + " is not reachable", notYet);
                        }
                        Thread.sleep(100);
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // it is going anyway
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
