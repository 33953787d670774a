package dev.jawait.backend.sniffio;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.export.ModuleDefinition;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Main programs run in child JVMs by {@link BackendSelectionTest}. */
final class Children {
    private Children() {}

    static final ModuleDefinition MODULE = ModuleDefinition.builder("selection")
            .asyncFunction("ready", f -> f.body(args -> CompletableFuture.completedFuture("ready")))
            .build();

    /** Awaits a default-backend function under asyncio and prints what happened. */
    static final class AwaitUnderAsyncio {
        public static void main(String[] args) {
            try (Python python = Python.builder().module(MODULE).start()) {
                python.run(py -> py.exec(String.join(
                        "\n",
                        "import asyncio, selection",
                        "try:",
                        "    print('result:', asyncio.run(selection.ready()))",
                        "except Exception as e:",
                        "    print('error:', type(e).__name__, e)")));
            } catch (RuntimeException e) {
                System.out.println("java error: " + e);
            }
        }
    }

    /** On a Python without trio, outcome, sniffio or uvloop: what each use that needs one says. */
    static final class WithoutPackages {
        public static void main(String[] args) {
            ModuleDefinition sniffing = ModuleDefinition.builder("sniffing")
                    .asyncFunction("ready", f -> f.backend("sniffio").body(a -> CompletableFuture.completedFuture(1)))
                    .build();
            try (Python python = Python.builder().module(sniffing).start()) {
                for (String flavor : List.of("trio", "uvloop")) {
                    try {
                        EventLoop.start(python, flavor).close();
                        System.out.println(flavor + ": started?");
                    } catch (IllegalStateException e) {
                        System.out.println(flavor + ": " + e.getMessage());
                    }
                }
                try {
                    python.run(py -> py.exec("import sniffing"));
                    System.out.println("sniffio: imported?");
                } catch (IllegalStateException e) {
                    System.out.println("sniffio: " + e.getMessage());
                }
                try (EventLoop asyncio = EventLoop.start(python, "asyncio")) {
                    System.out.println("asyncio: " + asyncio.flavor() + " needs nothing");
                }
            }
        }
    }

    /** Python.close() while jawait-owned loops run work: the loops stop, the work is cancelled. */
    static final class CloseWithBusyLoops {
        public static void main(String[] args) throws Exception {
            Python python = Python.builder().start();
            PyObject sleep = python.attach(py -> {
                py.exec("import sniffio, asyncio, trio\n"
                        + "async def nap(seconds=60):\n"
                        + "    lib = sniffio.current_async_library()\n"
                        + "    await (asyncio.sleep(seconds) if lib == 'asyncio' else trio.sleep(seconds))");
                return py.eval("nap");
            });
            EventLoop asyncio = EventLoop.start(python, "asyncio");
            EventLoop trio = EventLoop.start(python, "trio");
            List<CompletableFuture<Object>> naps = List.of(asyncio.submit(sleep), trio.submit(sleep));
            // Each loop's nap is parked once a nap submitted after it has ended (a loop takes its
            // submissions in order).
            asyncio.submit(sleep, 0).get(60, TimeUnit.SECONDS);
            trio.submit(sleep, 0).get(60, TimeUnit.SECONDS);
            sleep.close();
            python.close();
            for (CompletableFuture<Object> nap : naps) {
                try {
                    nap.get();
                    System.out.println("nap: finished?");
                } catch (CancellationException e) {
                    // From JDK 23, get() throws a CancellationException("get") caused by the future's own.
                    System.out.println("nap: " + (e.getCause() != null ? e.getCause() : e).getMessage());
                }
            }
            System.out.println("loops closed: " + asyncio.isClosed() + " " + trio.isClosed());
        }
    }
}
