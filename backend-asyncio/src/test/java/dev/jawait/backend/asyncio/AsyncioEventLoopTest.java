package dev.jawait.backend.asyncio;

import static dev.jawait.testing.EventLoopContract.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.PyObject;
import dev.jawait.async.EventLoop;
import dev.jawait.testing.EventLoopContract;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Event loops that jawait runs: asyncio and uvloop, fed from Java threads. */
class AsyncioEventLoopTest extends EventLoopContract {
    private PyObject extra;

    @Override
    protected String library() {
        return "asyncio";
    }

    @Override
    protected List<String> flavors() {
        return List.of("asyncio", "uvloop");
    }

    @BeforeAll
    void defineAsyncioWork() {
        extra = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import types, sys",
                    "aio_extra = types.ModuleType('aio_extra')",
                    "exec('''",
                    "import asyncio, threading",
                    "blocking = []",
                    "unblock = threading.Event()",
                    "async def finish_then_block():",
                    "    asyncio.get_running_loop().call_soon(block_loop)  # runs before the task's outcome is reported",
                    "    return 'finished'",
                    "def block_loop():",
                    "    blocking.append(True)",
                    "    unblock.wait(60)  # until the test has cancelled (it waits without the GIL)",
                    "async def loop_kind():",
                    "    return type(asyncio.get_running_loop()).__module__",
                    "''', aio_extra.__dict__)",
                    "sys.modules['aio_extra'] = aio_extra"));
            return py.importModule("aio_extra");
        });
    }

    @AfterAll
    void releaseAsyncioWork() {
        extra.close();
    }

    private PyObject extra(String name) {
        return python.attach(py -> extra.getAttr(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"asyncio", "uvloop"})
    void eachFlavorRunsItsOwnLoopType(String flavor) throws Exception {
        try (EventLoop loop = EventLoop.start(python, flavor);
                PyObject kind = extra("loop_kind")) {
            assertEquals(
                    flavor.equals("uvloop") ? "uvloop" : "asyncio.unix_events",
                    loop.submit(String.class, kind).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void cancellingATaskThatFinishedMeanwhileIsQuiet() throws Exception {
        Logger channelLog = Logger.getLogger("dev.jawait.internal.async.LoopChannel");
        List<LogRecord> errors = Collections.synchronizedList(new ArrayList<>());
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                errors.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        channelLog.addHandler(recorder);
        try (EventLoop loop = EventLoop.start(python, "asyncio");
                PyObject finisher = extra("finish_then_block");
                PyObject doubler = function("double")) {
            CompletableFuture<Object> future = loop.submit(finisher);
            waitUntil(() -> python.attach(
                    py -> !extra.getAttr("blocking").toJava().toString().equals("[]")));
            // The task has finished, but its outcome reaches Java only after the loop unblocks.
            assertTrue(future.cancel(true));
            python.run(py -> py.exec("import aio_extra\naio_extra.unblock.set()"));
            assertEquals(4L, loop.submit(doubler, 2).get(30, TimeUnit.SECONDS)); // the cancel action has run
        } finally {
            channelLog.removeHandler(recorder);
        }
        assertEquals(
                List.of(),
                errors.stream().map(r -> r.getMessage() + ": " + r.getThrown()).toList());
    }

    @Test
    void anUnknownLoopFlavorIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventLoop.start(python, "curio"));
        assertTrue(e.getMessage().contains("no jawait backend runs 'curio' event loops"), e.getMessage());
        assertTrue(e.getMessage().contains("asyncio") && e.getMessage().contains("uvloop"), e.getMessage());
    }
}
