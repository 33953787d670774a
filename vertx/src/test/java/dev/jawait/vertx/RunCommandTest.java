package dev.jawait.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code jawait run}, in child JVMs as the command runs: options through Vert.x's launcher, a clean stop on SIGTERM. */
@Timeout(180)
class RunCommandTest {
    private static final Path VERTICLES = Path.of("src/test/python").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void runsAModuleAsVerticleInstancesWithItsConfigUntilSigterm() throws Exception {
        try (JawaitProcess run = JawaitProcess.start(
                VERTICLES,
                List.of(),
                "run",
                "verticles.announce",
                "--instances",
                "2",
                "--conf",
                "{\"greeting\": \"hi\"}")) {
            String started = "started 1 on asyncio with {\"greeting\": \"hi\"}\n"; // instances share the deployment
            assertTrue(run.awaitOutput(started + started, WAIT), run.output());
            assertEquals(143, run.terminate(WAIT), run.output());
            assertTrue(
                    run.stdout().endsWith("stopped 1\nstopped 1\n"),
                    "SIGTERM undeployed both instances, awaiting their stop(): " + run.output());
        }
    }

    /**
     * Instances in the main interpreter: on a free-threaded Python their starts run Python at the same
     * moment (verticles/together.py spins in pure Python until it sees the other instance spinning);
     * with a GIL that spin keeps the GIL, so they take turns and never meet.
     */
    @Test
    void instancesRunTheirPythonAtOnceWhenItIsFreeThreaded() throws Exception {
        boolean freeThreaded = pythonSays("not getattr(sys, '_is_gil_enabled', lambda: True)()");
        String conf = "{\"meet_at_start\": true, \"limit\": " + (freeThreaded ? 0 : 200_000) + "}";
        try (JawaitProcess run = JawaitProcess.start(
                VERTICLES, List.of(), "run", "verticles.together", "--instances", "2", "--conf", conf)) {
            String met = "met another instance at start: "
                    + (freeThreaded ? "True; GIL enabled: False" : "False; GIL enabled: True") + "\n";
            assertTrue(run.awaitOutput(met + met, WAIT), run.output());
            assertEquals(143, run.terminate(WAIT), run.output());
        }
    }

    @Test
    void theLoopIsAnOptionAndTheConfigMayBeAFile() throws Exception {
        Path conf = Files.writeString(temp.resolve("conf.json"), "{\"from\": \"file\"}");
        try (JawaitProcess run = JawaitProcess.start(
                VERTICLES, List.of(), "run", "verticles.announce", "--loop", "trio", "--conf", conf.toString())) {
            assertTrue(run.awaitOutput("started 1 on trio with {\"from\": \"file\"}\n", WAIT), run.output());
            assertEquals(143, run.terminate(WAIT), run.output());
            assertTrue(run.stdout().contains("stopped 1\n"), run.output());
        }
    }

    @Test
    void logLevelForwardsPythonsLoggingToTheJvmsOnOneLineEach() throws Exception {
        try (JawaitProcess run = JawaitProcess.start(
                VERTICLES, List.of(), "run", "verticles.logs", "--log-level", "INFO", "--conf", "{\"rate\": 4.5}")) {
            assertTrue(run.awaitOutput("started\n", WAIT), run.output());
            assertEquals(143, run.terminate(WAIT), run.output());
            assertTrue(
                    run.output()
                            .lines()
                            .anyMatch(line -> line.matches(
                                    "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO verticles\\.logs: pricing ready, rate 4\\.5")),
                    run.output());
            assertTrue(!run.output().contains("debug detail"), run.output());
        }
        try (JawaitProcess run =
                JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.logs", "--log-level", "chatty")) {
            assertEquals(2, run.awaitExit(WAIT), run.output()); // Vert.x's usage status
            assertTrue(run.output().contains("--log-level takes DEBUG, INFO, WARNING or ERROR"), run.output());
        }
    }

    @Test
    void pythonsOwnLoggingConfigurationWorksAsUnderPythonWithOrWithoutForwarding() throws Exception {
        for (List<String> extra : List.of(List.<String>of(), List.of("--log-level", "WARNING"))) {
            List<String> args = new ArrayList<>(List.of("run", "verticles.logs", "--conf", "{\"basic\": true}"));
            args.addAll(extra);
            try (JawaitProcess run = JawaitProcess.start(VERTICLES, List.of(), args.toArray(String[]::new))) {
                assertTrue(run.awaitOutput("started\n", WAIT), run.output());
                assertEquals(143, run.terminate(WAIT), run.output());
                assertTrue(
                        run.output().contains("python-side INFO verticles.logs: pricing ready, rate None"),
                        extra + ": " + run.output());
            }
        }
    }

    @Test
    void aVerticleThatFailsToStartEndsTheCommandWithVertxsDeploymentStatus() throws Exception {
        try (JawaitProcess run = JawaitProcess.start(
                VERTICLES,
                List.of(),
                "run",
                "verticles.failing",
                "--conf",
                "{\"address\": \"run.failing\", \"database\": \"db:5432\"}")) {
            assertEquals(15, run.awaitExit(WAIT), run.output());
            assertTrue(run.output().contains("ValueError: no database at db:5432"), run.output());
        }
    }

    /**
     * Isolated instances that fail to start print the error and end with Vert.x's deployment
     * status, twice over (on CPython 3.13 two that imported sqlite3 aborted the process in 2-3 runs
     * of 6, before printing it), and nothing of jawait's own as their interpreters end.
     */
    @Test
    void isolatedInstancesThatFailToStartPrintTheErrorAndEndWithTheDeploymentStatus() throws Exception {
        assumeTrue(isolatedInterpreters(), "isolated interpreters need CPython 3.12+");
        for (int run = 0; run < 2; run++) {
            try (JawaitProcess failing = JawaitProcess.start(
                    VERTICLES, List.of(), "run", "verticles.isolated_boom", "--isolated", "--instances", "2")) {
                assertEquals(15, failing.awaitExit(WAIT), failing.output());
                assertTrue(failing.output().contains("RuntimeError: boom"), failing.output());
                assertNoneOfJawaitsOwn(failing.output());
            }
        }
    }

    @Test
    void anExtensionThatCannotLoadIsolatedIsNotedWithTheOptionToDrop() throws Exception {
        assumeTrue(isolatedInterpreters(), "isolated interpreters need CPython 3.12+");
        try (JawaitProcess run =
                JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.single_phase", "--isolated")) {
            assertEquals(15, run.awaitExit(WAIT), run.output());
            assertTrue(run.output().contains("does not support loading in subinterpreters"), run.output());
            assertTrue(
                    run.output()
                            .contains(
                                    "cannot load in an isolated interpreter (it uses single-phase "
                                            + "initialization, as PyO3/Rust extensions such as pydantic-core and orjson do); the main "
                                            + "interpreter can run it: run it without --isolated (jawait run verticles.single_phase ...)"),
                    run.output());
        }
    }

    @Test
    void isolatedInstancesEndCleanlyRunningTheirAtexitCallbacks() throws Exception {
        assumeTrue(isolatedInterpreters(), "isolated interpreters need CPython 3.12+");
        try (JawaitProcess run =
                JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.exits", "--isolated", "--instances", "2")) {
            assertTrue(run.awaitOutput("started\nstarted\n", WAIT), run.output());
            assertEquals(143, run.terminate(WAIT), run.output());
            assertEquals(2, count(run.stdout(), "at exit\n"), run.output());
            assertEquals(2, count(run.stdout(), "finalized\n"), run.output());
            assertNoneOfJawaitsOwn(run.output());
        }
    }

    private static boolean isolatedInterpreters() {
        return pythonSays("sys.version_info >= (3, 12)");
    }

    /** Whether a Python expression (with sys imported) is true in the Python of the suites. */
    private static boolean pythonSays(String expression) {
        String python = System.getProperty("jawait.python", "python3");
        try {
            Process answer = new ProcessBuilder(python, "-c", "import sys; print(bool(" + expression + "))")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(answer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.waitFor() == 0 && out.strip().equals("True");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void assertNoneOfJawaitsOwn(String output) {
        for (String jawaitsOwn :
                List.of("Exception ignored", "jawait could not convert", "NullPointerException", "munmap_chunk")) {
            assertFalse(output.contains(jawaitsOwn), jawaitsOwn + " printed:\n" + output);
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    @Test
    void usageErrorsSayWhatIsExpected() throws Exception {
        try (JawaitProcess noModule = JawaitProcess.start(VERTICLES, List.of(), "run", "--instances", "2")) {
            assertEquals(2, noModule.awaitExit(WAIT), noModule.output());
            assertTrue(
                    noModule.output().contains("usage: jawait run MODULE [--loop asyncio|uvloop|trio]"),
                    noModule.output());
        }
        try (JawaitProcess badLoop =
                JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.announce", "--loop", "twisted")) {
            assertEquals(2, badLoop.awaitExit(WAIT), badLoop.output());
            assertTrue(badLoop.output().contains("jawait run: --loop takes asyncio, uvloop or trio"), badLoop.output());
        }
        try (JawaitProcess help = JawaitProcess.start(VERTICLES, List.of(), "run", "--help")) {
            assertEquals(0, help.awaitExit(WAIT), help.output());
            assertTrue(help.stdout().contains("--instances"), help.output());
            assertTrue(help.stdout().contains("--cluster"), help.output());
        }
    }
}
