package dev.jawait.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jawait.testing.ChildJvm;
import dev.jawait.testing.Virtual;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 100,000 virtual threads (at scale 1) attach and call Python, in a child JVM: no crash, every
 * result right, and no more Python thread states after than the carriers that ran them.
 */
class VirtualThreadStormTest {
    @Test
    void aHundredThousandVirtualThreadsLeaveAtMostOneThreadStatePerCarrier() {
        assumeTrue(Virtual.available(), "virtual threads need JDK 21+");
        ChildJvm.Result result = ChildJvm.run(
                "dev.jawait.threads.VirtualThreadChildren$Calls",
                Map.of(),
                List.of(),
                600,
                String.valueOf(Stress.scaled(100_000)),
                "100");
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        assertTrue(out.contains("failures: 0"), result.output());
        assertTrue(out.contains("sum right: true"), result.output());
        assertTrue(out.contains("scopes moved to another OS thread: 0"), result.output());
        assertTrue(out.contains("thread states within the carriers: true"), result.output());
    }
}
