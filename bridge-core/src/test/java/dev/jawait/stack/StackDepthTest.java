package dev.jawait.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deep recursion on Java threads never overflows their stack: it runs, or raises RecursionError.
 * Each case runs in a child JVM without -Xss, where a crash would fail only that case.
 */
class StackDepthTest {
    private static final List<String> KINDS = List.of("calls", "map", "getattr", "eval", "raised limit", "repr");

    private static List<String> recurseOnAThreadWithStack(String kilobytes) {
        ChildJvm.Result result = ChildJvm.run(
                StackChildren.DeepRecursionOnAJavaThread.class.getName(), Map.of(), List.of(), 300, kilobytes);
        assertEquals(0, result.exitCode(), result.output());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(KINDS.size() + 1, lines.size(), result.output());
        for (int i = 0; i < KINDS.size(); i++) {
            String line = lines.get(i);
            assertTrue(
                    line.equals(KINDS.get(i) + " ok")
                            || line.startsWith(KINDS.get(i) + " RecursionError: maximum recursion depth exceeded"),
                    result.output());
        }
        assertEquals("done", lines.get(KINDS.size()), result.output());
        return lines;
    }

    @Test
    void aThreadWithTheJvmsDefaultStackRaisesRecursionErrorInsteadOfCrashing() {
        recurseOnAThreadWithStack("default");
    }

    @Test
    void aThreadWithASmallStackRaisesRecursionErrorInsteadOfCrashing() {
        recurseOnAThreadWithStack("256");
    }

    @Test
    void aThreadWithTheStackOfPythonsMainThreadRecursesAsFarAsThePythonCommand() throws Exception {
        List<String> lines = recurseOnAThreadWithStack(String.valueOf(8 << 10));
        Process python = new ProcessBuilder(System.getProperty("jawait.python"), "-c", StackChildren.RECURSIONS)
                .redirectErrorStream(true)
                .start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(120, TimeUnit.SECONDS));
        assertEquals(output.lines().toList(), lines.subList(0, KINDS.size())); // an 8 MB main thread
    }
}
