package dev.jawait.backend.asyncio.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.testing.TestPython;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One Java thread submits coroutines to an asyncio loop as fast as it can while a heartbeat task
 * on the loop counts its ticks and records its worst stall: the loop keeps running its own work
 * during the flood (drains are bounded, submitters slow down past a backlog), and every submission
 * completes with its own result.
 */
class SubmitFloodTest {
    private static final long FLOOD_MILLIS = Long.getLong("jawait.stress.floodMillis", 1_000);

    @Test
    void aSubmitFloodNeverStarvesTheLoop() throws Exception {
        Python python = TestPython.get();
        PyObject module = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import asyncio, types, sys",
                    "flood = types.ModuleType('flood')",
                    "exec('''",
                    "import asyncio",
                    "class Heartbeat:",
                    "    def __init__(self):",
                    "        self.ticks, self.worst, self.stopped = 0, 0.0, False",
                    "    async def run(self):",
                    "        loop = asyncio.get_running_loop()",
                    "        while not self.stopped:",
                    "            asked = loop.time()",
                    "            await asyncio.sleep(0.002)",
                    "            self.ticks += 1",
                    "            self.worst = max(self.worst, loop.time() - asked - 0.002)",
                    "async def echo(i):",
                    "    return i",
                    "async def stop(heartbeat):",
                    "    heartbeat.stopped = True",
                    "''', flood.__dict__)",
                    "sys.modules['flood'] = flood"));
            return py.importModule("flood");
        });
        try (EventLoop loop = EventLoop.start(python, "asyncio");
                PyObject heartbeat = python.attach(py -> module.callMethod("Heartbeat"));
                PyObject beat = python.attach(py -> heartbeat.getAttr("run"));
                PyObject echo = python.attach(py -> module.getAttr("echo"));
                PyObject stop = python.attach(py -> module.getAttr("stop"))) {
            CompletableFuture<Object> beating = loop.submit(beat);
            List<CompletableFuture<Long>> submitted = new ArrayList<>();
            long ticksBefore = ticks(python, heartbeat);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLOOD_MILLIS);
            while (System.nanoTime() < deadline) {
                submitted.add(loop.submit(Long.class, echo, (long) submitted.size()));
            }
            long ticksDuring = ticks(python, heartbeat) - ticksBefore;
            long completedDuring =
                    submitted.stream().filter(CompletableFuture::isDone).count();
            CompletableFuture.allOf(submitted.toArray(new CompletableFuture<?>[0]))
                    .get(120, TimeUnit.SECONDS);
            loop.submit(stop, heartbeat).get(10, TimeUnit.SECONDS);
            beating.get(10, TimeUnit.SECONDS);
            double worstMillis = python.attach(py -> heartbeat.getAttr("worst").asDouble() * 1000);
            System.out.printf(
                    "submit flood: %d submitted in %d ms, %d completed during it, heartbeat ticked %d times, "
                            + "worst loop stall %.1f ms%n",
                    submitted.size(), FLOOD_MILLIS, completedDuring, ticksDuring, worstMillis);
            for (int i = 0; i < submitted.size(); i++) {
                assertEquals(i, submitted.get(i).join());
            }
            assertTrue(ticksDuring > 0, "the loop's own task never ran during the flood");
            assertTrue(completedDuring > 0, "no submission completed during the flood");
        }
    }

    private static long ticks(Python python, PyObject heartbeat) {
        return python.attach(py -> heartbeat.getAttr("ticks").asLong());
    }
}
