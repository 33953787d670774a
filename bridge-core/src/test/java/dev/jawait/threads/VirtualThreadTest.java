package dev.jawait.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jawait.testing.ChildJvm;
import dev.jawait.testing.Virtual;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads as ordinary callers (JDK 21+), in child JVMs: before, 500 of them attaching at once
 * ended the JVM with SIGSEGV, as a scope resumed on another carrier than the one whose thread state
 * it had made current.
 */
class VirtualThreadTest {
    @BeforeEach
    void needsVirtualThreads() {
        assumeTrue(Virtual.available(), "virtual threads need JDK 21+");
    }

    @Test
    void thousandsOfVirtualThreadsAttachCallBothWaysAndParkInsideTheirScopes() {
        ChildJvm.Result result = ChildJvm.run(VirtualThreadChildren.Calls.class, Map.of(), List.of(), "5000", "1");
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        assertTrue(out.contains("failures: 0"), result.output());
        assertTrue(out.contains("sum right: true"), result.output());
        assertTrue(out.contains("scopes moved to another OS thread: 0"), result.output());
        assertTrue(out.contains("thread states within the carriers: true"), result.output());
        assertTrue(out.contains("closed"), result.output());
    }

    @Test
    void aVirtualThreadThatReleasedTheGilLetsOthersAttach() {
        ChildJvm.Result result = ChildJvm.run(VirtualThreadChildren.Handoffs.class, Map.of(), List.of());
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("detach let another virtual thread attach: true"), result.output());
        assertTrue(
                result.stdout().contains("a releaseGil function joined a virtual thread that attached: 42"),
                result.output());
        assertTrue(result.stdout().contains("closed"), result.output());
    }
}
