package dev.jawait.vertx;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Hazelcast cluster of Vert.x nodes on 127.0.0.1 only: TCP-IP join over the ten ports from a
 * free base port (members take the first free one), no multicast, no phone-home, a cluster name of its own (so that concurrent runs never
 * meet), and heartbeats short enough that a killed member leaves within seconds. Child JVMs get
 * the same configuration as a file ({@link #jvmOptions()}); this JVM joins with {@link #join()}.
 */
final class LoopbackCluster {
    private static final int PORTS = 10;

    private final Path configFile;

    LoopbackCluster(Path directory) {
        int base = freePort();
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <hazelcast xmlns="http://www.hazelcast.com/schema/config">
                  <cluster-name>jawait-test-%s</cluster-name>
                  <properties>
                    <property name="hazelcast.phone.home.enabled">false</property>
                    <property name="hazelcast.logging.type">jdk</property>
                    <property name="hazelcast.socket.bind.any">false</property>
                    <property name="hazelcast.wait.seconds.before.join">0</property>
                    <property name="hazelcast.heartbeat.interval.seconds">1</property>
                    <property name="hazelcast.max.no.heartbeat.seconds">4</property>
                    <property name="hazelcast.tcp.join.port.try.count">%d</property>
                  </properties>
                  <network>
                    <port auto-increment="true" port-count="%d">%d</port>
                    <join>
                      <auto-detection enabled="false"/>
                      <multicast enabled="false"/>
                      <tcp-ip enabled="true" connection-timeout-seconds="2">
                        <member>127.0.0.1</member>
                      </tcp-ip>
                    </join>
                    <interfaces enabled="true">
                      <interface>127.0.0.1</interface>
                    </interfaces>
                  </network>
                  <multimap name="__vertx.subs">
                    <backup-count>1</backup-count>
                    <value-collection-type>SET</value-collection-type>
                  </multimap>
                  <map name="__vertx.haInfo">
                    <backup-count>1</backup-count>
                  </map>
                  <map name="__vertx.nodeInfo">
                    <backup-count>1</backup-count>
                  </map>
                </hazelcast>
                """.formatted(UUID.randomUUID(), PORTS, PORTS, base);
        try {
            configFile = Files.writeString(directory.resolve("cluster.xml"), xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** For a child JVM: the cluster manager's configuration, and nothing that could look beyond loopback. */
    List<String> jvmOptions() {
        List<String> options = new ArrayList<>(HAZELCAST_JVM_OPTIONS);
        options.addAll(List.of(
                "-Dvertx.hazelcast.config=" + configFile,
                "-Dhazelcast.phone.home.enabled=false",
                "-Djava.net.preferIPv4Stack=true"));
        return options;
    }

    /** The {@code jawait run} options that join this cluster. */
    static List<String> runOptions() {
        return List.of("--cluster", "--cluster-host", "127.0.0.1");
    }

    /** A clustered Vert.x instance in this JVM. */
    Future<Vertx> join() {
        Config config;
        try {
            config = Config.loadFromFile(configFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setClusterPublicHost("127.0.0.1"));
        return Vertx.builder()
                .with(options)
                .withClusterManager(new HazelcastClusterManager(config))
                .buildClustered();
    }
}
