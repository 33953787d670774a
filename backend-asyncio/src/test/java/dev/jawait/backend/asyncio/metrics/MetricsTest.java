package dev.jawait.backend.asyncio.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jawait's Micrometer meters read what happened, in a child JVM where they are bound. */
class MetricsTest {
    @Test
    void theMetersCountWhatHappened() {
        ChildJvm.Result result = ChildJvm.run(MetricsChild.class.getName(), Map.of(), List.of(), 120);
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        for (String line : List.of(
                "pending per loop while waiting: 10.0",
                "pending in all while waiting: 10.0",
                "sum: 10",
                "pending per loop after: 0.0",
                "loop tags: [asyncio, pricing]",
                "pending for pricing: 5.0",
                "wake batches: true",
                "ValueErrors: 1.0",
                "first item: 0",
                "buffered: 5.0",
                "waited for the GIL: true",
                "loop gauge removed: true")) {
            assertTrue(out.contains(line), line + "\n" + result.output());
        }
    }
}
