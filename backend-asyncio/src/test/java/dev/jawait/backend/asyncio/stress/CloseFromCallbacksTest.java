package dev.jawait.backend.asyncio.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code python.close()} called from every kind of callback that jawait runs, each in a child JVM:
 * close either completes once the calling thread leaves Python, or refuses with a reason; never a
 * hang (the child has a deadline) and never a crash.
 */
class CloseFromCallbacksTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "submit-callback",
                "submit-callback-async",
                "cancel-hook",
                "released-body",
                "module-executor",
                "stream-subscriber",
                "detach"
            })
    void closeFromACallbackCompletes(String mode) {
        ChildJvm.Result result = ChildJvm.run(CloseChildren.class.getName(), Map.of(), List.of(), 120, mode);
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("closed: true"), result.output());
        assertTrue(result.stdout().contains("attach afterwards: Optional.empty"), result.output());
        assertTrue(result.stdout().contains("done"), result.output());
    }

    @org.junit.jupiter.api.Test
    void closeWhileAttachedRefusesWithTheReason() {
        ChildJvm.Result result = ChildJvm.run(CloseChildren.class.getName(), Map.of(), List.of(), 120, "attached");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.stdout().contains("refused: Python.close() called while this thread is attached to Python"),
                result.output());
        assertTrue(result.stdout().contains("closed: true"), result.output());
    }
}
