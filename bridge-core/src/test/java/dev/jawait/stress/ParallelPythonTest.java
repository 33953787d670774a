package dev.jawait.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many Java threads running Python at once, in a child JVM: on a free-threaded Python they really do
 * run together, so whatever jawait kept safe by holding the GIL (interned names, per-interpreter
 * storage, Java object handles, deferred decrefs, a call's start) is raced here. Every call must
 * give its right result, and the process must neither crash nor turn the GIL back on.
 */
class ParallelPythonTest {
    @Test
    void javaThreadsRunPythonAtOnceWithEveryResultRight() {
        int threads = 8;
        int rounds = Stress.scaled(150);
        ChildJvm.Result result = ChildJvm.run(
                StressChildren.ParallelPython.class.getName(),
                Map.of(),
                List.of(),
                Math.max(180, Stress.scaled(180)),
                String.valueOf(threads),
                String.valueOf(rounds));
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        int total = threads * rounds;
        assertTrue(out.contains("sums right: " + total + "/" + total), result.output());
        assertTrue(out.contains("objects right: " + total + "/" + total), result.output());
        assertTrue(out.contains("conversions: " + total + "/" + total), result.output());
        assertTrue(out.contains("free-threaded with the GIL back on: false"), result.output());
        assertTrue(out.contains("closed"), result.output());
    }
}
