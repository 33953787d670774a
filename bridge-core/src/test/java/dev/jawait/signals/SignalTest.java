package dev.jawait.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signals in an application that embeds Python, each in a child JVM that sends itself the signal.
 * The jawait command's signals, side by side with the python command's, are tested from Python
 * ({@code pytests/tests/test_like_python.py}).
 */
class SignalTest {
    private static ChildJvm.Result run(Class<?> main) {
        return ChildJvm.run(main, Map.of(), List.of());
    }

    @Test
    void byDefaultSigintRunsTheJvmsShutdownEvenAfterPythonRestoresWhatItSees() {
        ChildJvm.Result result = run(SignalChildren.JvmKeepsSigint.class);
        assertEquals(130, result.exitCode(), result.output());
        assertEquals(
                "Python sees <Handlers.SIG_DFL: 0>\nrestoring it returns <Handlers.SIG_DFL: 0>\n"
                        + "JVM shutdown hook ran\n",
                result.stdout(),
                result.output());
    }

    @Test
    void pythonHandlesSignalsGivesSigintToPythonsMainThreadUntilClose() {
        ChildJvm.Result result = run(SignalChildren.PythonGetsSigint.class);
        assertEquals(130, result.exitCode(), result.output());
        assertEquals(
                "Python sees default_int_handler\nsleep ended early: True\nraised KeyboardInterrupt\n"
                        + "JVM shutdown hook ran\n",
                result.stdout(),
                result.output());
    }

    @Test
    void aHandlerThatPythonInstallsInterruptsItsMainThreadAndSigDflGivesTheSignalBack() {
        ChildJvm.Result result = run(SignalChildren.PythonHandlesSigtermThenGivesItBack.class);
        assertEquals(143, result.exitCode(), result.output());
        assertEquals(
                "handler ran on the main thread: True\nsleep interrupted\nrestoring returns handler\n"
                        + "JVM shutdown hook ran\n",
                result.stdout(),
                result.output());
    }

    @Test
    void pythonCannotTakeTheSignalsTheJvmReliesOn() {
        ChildJvm.Result result = run(SignalChildren.FaultSignalsStayWithTheJvm.class);
        assertEquals(0, result.exitCode(), result.output());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(16, lines.size(), result.output());
        for (int i = 0; i < 15; i += 3) {
            assertTrue(lines.get(i).endsWith(" SIG_DFL -> <Handlers.SIG_DFL: 0>"), result.output());
            for (String refusal : List.of(lines.get(i + 1), lines.get(i + 2))) {
                assertTrue(
                        refusal.startsWith("  refused: signal SIG")
                                && refusal.contains("Python code cannot handle or " + "ignore it"),
                        result.output());
            }
        }
        assertTrue(lines.get(0).startsWith("SIGSEGV "), result.output());
        assertTrue(lines.get(1).contains("is the JVM's: it relies on it (null checks, safepoints)"), result.output());
        assertTrue(lines.get(13).contains("is jawait's: it interrupts Python's main thread with it"), result.output());
        assertEquals("survived", lines.get(15), result.output());
    }
}
