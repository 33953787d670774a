package dev.jawait.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Thousands of Java threads that attach to Python and end, in a child JVM (a wrong free of a
 * thread state aborts the process on 3.12+). Their thread states must be freed without waiting for
 * a garbage collection, and freeing them must leave every other thread's PyGILState binding intact.
 */
class ThreadChurnTest {
    @Test
    void endedThreadsLeaveNoThreadStateAndNoOtherThreadLosesItsOwn() {
        ChildJvm.Result result = ChildJvm.run(
                StressChildren.ThreadChurn.class.getName(),
                Map.of(),
                List.of(),
                Math.max(120, Stress.scaled(120)),
                String.valueOf(Stress.scaled(2_000))); // its deadline grows with it
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        assertTrue(out.contains("thread states settled at the baseline: true"), result.output());
        assertTrue(out.contains("binding intact on the attaching thread: true"), result.output());
        assertTrue(out.contains("binding intact on Python's main thread: true"), result.output());
        assertTrue(out.contains("ctypes callback into Java: ok"), result.output());
        assertTrue(out.contains("closed"), result.output());
    }
}
