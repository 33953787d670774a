package dev.jawait.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.examples.cluster.ClusterExample;
import dev.jawait.examples.inventory.InventoryApp;
import dev.jawait.examples.shop.ShopApp;
import dev.jawait.testing.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples run and do what they say, each in a JVM of its own as a user would run it. */
class ExamplesTest {
    private static final Path SCRIPTS = Path.of("python").toAbsolutePath();

    @Test
    void theShopAppAwaitsBothWays() {
        ChildJvm.Result result = ChildJvm.run(ShopApp.class, Map.of(), List.of(), SCRIPTS.toString());
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        assertTrue(out.contains("[trio]   tea: 4.5"), result.output());
        assertTrue(out.contains("move_on_after(0.05): cancelled=True"), result.output());
        assertTrue(
                out.contains("raises JavaLookupError: java.util.NoSuchElementException: the shop has no price for "
                        + "'unobtainium'"),
                result.output());
        assertTrue(out.contains("[asyncio] gathered [4.5, 6.0, 3.25]"), result.output());
        assertTrue(out.contains("wait_for(shop.sleep(10), 0.05) timed out"), result.output());
        assertTrue(
                out.contains("GET /quote?item=coffee&qty=12 -> {\"item\":\"coffee\",\"quantity\":12,"
                        + "\"unit_price\":6.0,\"total\":64.8}"),
                result.output());
        assertTrue(
                out.contains(
                        "GET /quote?item=gold&qty=1 -> {\"error\":\"the shop has no price for 'gold' (HTTP 404)\"}"),
                result.output());
        assertTrue(
                out.contains("catalogue read with async for: {'tea': 120, 'coffee': 80, 'cocoa': 45, 'chai': 30, "
                        + "'matcha': 12}"),
                result.output());
        assertTrue(out.contains("stopping early after the first line ('item,stock')"), result.output());
        List<String> chunks = out.lines()
                .filter(line -> line.contains(" chunk: "))
                .map(line -> line.split(" chunk: ")[1])
                .toList();
        assertEquals(
                List.of("item,unit_price", "tea,4.5", "coffee,6.0", "cocoa,3.25", "chai,unknown"),
                chunks,
                result.output());
        assertTrue(out.endsWith("[java] done\n"), result.output());
    }

    @Test
    void theClusterExampleRunsTwoNodesThatAnswerEachOtherAndStopsThem() {
        Path examples = Path.of("").toAbsolutePath();
        // Two JVMs that start Python and join a cluster, then the example's own waits (up to two minutes
        // to join, two more for the service to answer): a busy machine needs more than the usual deadline.
        ChildJvm.Result result = ChildJvm.run(
                ClusterExample.class.getName(),
                Map.of(),
                List.of("-Djava.util.logging.config.file=" + examples.resolve("cluster/logging.properties")),
                600,
                examples.toString());
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        assertTrue(
                out.contains("[node 1] pricing service on trio, serving pricing.quote across the cluster"),
                result.output());
        assertTrue(
                out.contains("[node 2] GET /quote?item=tea&qty=3 -> 200 {\"item\":\"tea\",\"qty\":3,"
                        + "\"unit_price\":4.5,\"total\":13.5,\"served_by\":\"python (trio)\"}"),
                result.output());
        assertTrue(
                out.contains("[node 2] GET /quote?item=coffee&qty=12 -> 200 {\"item\":\"coffee\",\"qty\":12,"
                        + "\"unit_price\":6.0,\"total\":64.8,\"served_by\":\"python (trio)\"}"),
                result.output());
        assertTrue(
                out.contains("[node 2] GET /quote?item=gold&qty=1 -> 404 {\"error\":\"no price for 'gold'\"}"),
                result.output());
        assertTrue(out.contains("[asyncio] 2 x cocoa = 6.5 (priced by python (trio))"), result.output());
        assertTrue(out.contains("[asyncio] gold: ReplyError 404: no price for 'gold'"), result.output());
        // The service counts the quotes it priced: those the example printed, whatever readiness probes it answered.
        long priced = out.lines()
                .filter(line -> line.matches("\\[node 2\\] GET /quote\\?.* -> 200 .*")
                        || line.matches("\\[asyncio\\] \\d+ x .*"))
                .count();
        assertEquals(5, priced, result.output());
        assertTrue(out.contains("[node 1] pricing service stopping after " + priced + " quotes"), result.output());
        assertTrue(out.endsWith("[example] node 1 stopped\n[example] done\n"), result.output());
    }

    @Test
    void theInventoryAppUsesItsJavaModuleFromPython() {
        ChildJvm.Result result = ChildJvm.run(
                InventoryApp.class,
                Map.of(),
                List.of(),
                SCRIPTS.resolve("inventory_report.py").toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("Python: 2 + 3 = 5"), result.output());
        assertTrue(
                result.stdout().contains("Python: refused: inventory.receive() argument 'count' must be int, not str"),
                result.output());
        assertTrue(result.stdout().contains("Java: 56 items left in stock"), result.output());
    }
}
