package dev.jawait.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        try (JawaitProcess run = JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.announce",
                "--instances", "2", "--conf", "{\"greeting\": \"hi\"}")) {
            String started = "started 1 on asyncio with {\"greeting\": \"hi\"}\n"; // instances share the deployment
            assertTrue(run.awaitOutput(started + started, WAIT), run.output());
            assertEquals(143, run.terminate(WAIT), run.output());
            assertTrue(run.stdout().endsWith("stopped 1\nstopped 1\n"),
                    "SIGTERM undeployed both instances, awaiting their stop(): " + run.output());
        }
    }

    @Test
    void theLoopIsAnOptionAndTheConfigMayBeAFile() throws Exception {
        Path conf = Files.writeString(temp.resolve("conf.json"), "{\"from\": \"file\"}");
        try (JawaitProcess run = JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.announce", "--loop",
                "trio", "--conf", conf.toString())) {
            assertTrue(run.awaitOutput("started 1 on trio with {\"from\": \"file\"}\n", WAIT), run.output());
            assertEquals(143, run.terminate(WAIT), run.output());
            assertTrue(run.stdout().contains("stopped 1\n"), run.output());
        }
    }

    @Test
    void aVerticleThatFailsToStartEndsTheCommandWithVertxsDeploymentStatus() throws Exception {
        try (JawaitProcess run = JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.failing", "--conf",
                "{\"address\": \"run.failing\", \"database\": \"db:5432\"}")) {
            assertEquals(15, run.awaitExit(WAIT), run.output());
            assertTrue(run.output().contains("ValueError: no database at db:5432"), run.output());
        }
    }

    @Test
    void usageErrorsSayWhatIsExpected() throws Exception {
        try (JawaitProcess noModule = JawaitProcess.start(VERTICLES, List.of(), "run", "--instances", "2")) {
            assertEquals(2, noModule.awaitExit(WAIT), noModule.output());
            assertTrue(noModule.output().contains("usage: jawait run MODULE [--loop asyncio|uvloop|trio]"),
                    noModule.output());
        }
        try (JawaitProcess badLoop = JawaitProcess.start(VERTICLES, List.of(), "run", "verticles.announce", "--loop",
                "twisted")) {
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
