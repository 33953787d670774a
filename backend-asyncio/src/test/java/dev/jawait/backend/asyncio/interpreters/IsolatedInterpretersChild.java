package dev.jawait.backend.asyncio.interpreters;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import dev.jawait.export.PyParam;
import dev.jawait.internal.ffi.CPython;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child JVM that exercises isolated interpreters (CPython 3.12+) and prints what it saw, one
 * finding per line, for {@link IsolatedInterpretersTest}. The first argument picks the scenario.
 */
public final class IsolatedInterpretersChild {
    private IsolatedInterpretersChild() {}

    private static final Vertx VERTX = Vertx.vertx();
    /** Names of the threads that completed the futures "work.later" returned. */
    private static final Set<String> COMPLETED_ON = ConcurrentHashMap.newKeySet();

    private static final CyclicBarrier BOTH = new CyclicBarrier(2);
    private static final AtomicLong CALLS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Python python = Python.builder().discoverModules(false).start();
        python.register(ModuleDefinition.builder("work")
                .asyncFunction(
                        "later",
                        f -> f.param("value", Object.class)
                                .param("ms", long.class)
                                .body(a -> {
                                    Promise<Object> promise = Promise.promise();
                                    VERTX.setTimer(a.getLong("ms"), id -> {
                                        COMPLETED_ON.add(Thread.currentThread().getName());
                                        promise.complete(a.get("value"));
                                    });
                                    return promise.future();
                                }))
                .asyncFunction("never", f -> f.body(a -> new CompletableFuture<>()))
                .function(
                        "meet",
                        f -> f.doc("Waits, holding the caller's GIL, until a second thread arrives.")
                                .body(a -> {
                                    try {
                                        BOTH.await(30, TimeUnit.SECONDS);
                                        return true;
                                    } catch (Exception e) {
                                        throw new IllegalStateException("the other interpreter's thread never came", e);
                                    }
                                }))
                .function("count", f -> f.body(a -> CALLS.incrementAndGet()))
                .function(
                        "fail",
                        f -> f.param("message", String.class).body(a -> {
                            throw new IllegalArgumentException(a.getString("message"));
                        }))
                .build());
        switch (args[0]) {
            case "parallel" -> parallel(python);
            case "state" -> state(python);
            case "close" -> close(python);
            case "cycles" -> cycles(python, Integer.parseInt(args[1]));
            case "binding" -> binding(python);
            case "ends" -> ends(python);
            default -> throw new IllegalArgumentException(args[0]);
        }
        VERTX.close().await();
        System.exit(0);
    }

    private static final String JOB = String.join(
            "\n",
            "import asyncio, work",
            "async def job(n):",
            "    met = work.meet()  # holds this interpreter's GIL until the other loop's thread arrives",
            "    values = await asyncio.gather(*(work.later(i, 1 + i % 5) for i in range(n)))",
            "    return [met, sum(values)]");

    /** Two isolated interpreters run asyncio loops at once, each awaiting Vert.x futures. */
    private static void parallel(Python python) throws Exception {
        try (Python first = python.newIsolatedInterpreter();
                Python second = python.newIsolatedInterpreter();
                EventLoop firstLoop = EventLoop.start(first, "asyncio");
                EventLoop secondLoop = EventLoop.start(second, "asyncio")) {
            first.run(py -> py.exec(JOB));
            second.run(py -> py.exec(JOB));
            CompletableFuture<Object> a = firstLoop.submit("__main__.job", 500);
            CompletableFuture<Object> b = secondLoop.submit("__main__.job", 500);
            System.out.println("first: " + a.get(60, TimeUnit.SECONDS));
            System.out.println("second: " + b.get(60, TimeUnit.SECONDS));
            System.out.println("completed on Vert.x threads: "
                    + (!COMPLETED_ON.isEmpty()
                            && COMPLETED_ON.stream().allMatch(n -> n.startsWith("vert.x-eventloop"))));
            System.out.println("names: " + first.name() + " " + second.name() + " " + first.isIsolated() + " "
                    + python.isIsolated());
        }
    }

    /** A default given as a Python literal that converts to Python objects. */
    @PyModule("literal_defaults")
    public static final class LiteralDefaults {
        @PyFunction
        public static long size(@PyParam(defaultValue = "[1, 2, 3]") PyObject items) {
            return items.len();
        }
    }

    /** Module state, registration and Python objects stay with their interpreter. */
    private static void state(Python python) {
        python.register(LiteralDefaults.class);
        try (Python isolated = python.newIsolatedInterpreter()) {
            String size = "__import__('literal_defaults').size()";
            System.out.println("a literal default in each: "
                    + python.attach(py -> py.eval(size).asLong()) + " "
                    + isolated.attach(py -> py.eval(size).asLong()) + " "
                    + python.attach(py -> py.eval(size).asLong()));
            isolated.register(ModuleDefinition.builder("only_here")
                    .function("where", f -> f.body(a -> "isolated"))
                    .build());
            python.run(py -> py.exec("import work\nwork.mark = 'main'"));
            isolated.run(py -> py.exec("import work\nwork.mark = 'isolated'"));
            System.out.println(
                    "main mark: " + python.attach(py -> py.eval("work.mark").asString()));
            System.out.println("isolated mark: "
                    + isolated.attach(py -> py.eval("work.mark").asString()));
            System.out.println("one Java function, two modules: "
                    + python.attach(py -> py.eval("work.count()").asLong()) + " "
                    + isolated.attach(py -> py.eval("work.count()").asLong()));
            System.out.println("only_here in isolated: "
                    + isolated.attach(
                            py -> py.eval("__import__('only_here').where()").asString()));
            report("only_here in main", () -> python.run(py -> py.exec("import only_here")));
            report(
                    "Java error in isolated",
                    () -> isolated.run(py -> py.exec(String.join(
                            "\n",
                            "try:",
                            "    work.fail('bad input')",
                            "except ValueError as e:",
                            "    raise KeyError(type(e).__name__ + ': ' + str(e))"))));
            PyObject mainList = python.attach(py -> py.eval("[1, 2, 3]"));
            PyObject isolatedDict = isolated.attach(py -> py.eval("{'a': 1}"));
            report("main object in isolated", () -> isolated.run(py -> mainList.len()));
            report("isolated object in main", () -> python.run(py -> isolatedDict.len()));
            report(
                    "main object as an argument in isolated",
                    () -> isolated.run(py -> py.builtin("len").call(mainList)));
            System.out.println("each at home: " + python.attach(py -> mainList.len()) + " "
                    + isolated.attach(py -> isolatedDict.len()));
            System.out.println("across as Java values: "
                    + isolated.attach(py ->
                            py.toPython(python.attach(p -> mainList.toJava())).toJava()));
            isolated.close();
            report("isolated object after its interpreter closed", () -> isolatedDict.len());
            isolatedDict.close();
            System.out.println(
                    "main after: " + python.attach(py -> py.eval("work.mark").asString()));
        }
    }

    /** Closing an interpreter with work in flight fails that work; closing main closes the rest. */
    private static void close(Python python) throws Exception {
        Python isolated = python.newIsolatedInterpreter();
        EventLoop loop = EventLoop.start(isolated, "asyncio");
        isolated.run(py -> py.exec("import asyncio\nasync def slow(seconds=600):\n    await asyncio.sleep(seconds)"));
        CompletableFuture<Object> javaWait = loop.submit("work.never");
        CompletableFuture<Object> pythonWait = loop.submit("__main__.slow");
        // Both are parked once a later submission has ended (the loop takes them in order).
        loop.submit("__main__.slow", 0).get(60, TimeUnit.SECONDS);
        isolated.close();
        outcome("awaiting a Java future", javaWait);
        outcome("awaiting asyncio.sleep", pythonWait);
        report("submit after close", () -> loop.submit("work.never").get(10, TimeUnit.SECONDS));
        report("attach after close", () -> isolated.run(py -> py.eval("1")));
        System.out.println(
                "main still runs: " + python.attach(py -> py.eval("6 * 7").asLong()));

        Python other = python.newIsolatedInterpreter();
        EventLoop otherLoop = EventLoop.start(other, "asyncio");
        CompletableFuture<Object> orphan = otherLoop.submit("work.never");
        other.run(py -> py.exec("async def ready():\n    pass"));
        otherLoop.submit("__main__.ready").get(60, TimeUnit.SECONDS);
        python.close();
        System.out.println("closing main closed the isolated one: " + !other.isRunning() + " " + !python.isRunning());
        outcome("work of the isolated interpreter", orphan);
    }

    /**
     * How isolated interpreters end. Two whose lives overlap both import datetime (its C types are
     * shared; on 3.13 the one that ended last freed the first one's tuples as its own, and glibc
     * aborted the process), the first made closed first. Then one whose atexit callbacks use jawait (a
     * Java module imported and called, weakref.finalize's callback importing gc through jawait's
     * import hook).
     */
    private static void ends(Python python) {
        Python first = python.newIsolatedInterpreter();
        first.run(py -> py.exec("import datetime\ndatetime.timedelta(days=1)"));
        Python second = python.newIsolatedInterpreter();
        second.run(py -> py.exec("import datetime, sqlite3\ndatetime.timedelta(days=2)"));
        first.close();
        second.close();
        System.out.println("datetime in two, the first made closed first: survived");

        Python isolated = python.newIsolatedInterpreter();
        isolated.run(py -> py.exec(String.join(
                "\n",
                "import atexit, weakref",
                "class Resource: pass",
                "resource = Resource()",
                "weakref.finalize(resource, print, 'finalized at exit', flush=True)",
                "def at_exit():",
                "    import work",
                "    work.count()",
                "    print('atexit callback ran', flush=True)",
                "atexit.register(at_exit)")));
        long before = CALLS.get();
        isolated.close();
        System.out.println("Java called from the atexit callback: " + (CALLS.get() - before));
        System.out.println("main after: " + python.attach(py -> py.eval("6 * 7").asLong()));
    }

    /** A C callback into Python (ctypes): PyGILState_Ensure finds the calling thread's binding. */
    private static final String CTYPES_CALLBACK =
            "__import__('ctypes').CFUNCTYPE(__import__('ctypes').c_int, __import__('ctypes').c_int)(lambda x: x + 1)(41)";

    /**
     * A Java thread's PyGILState binding never points into an isolated interpreter once its scope
     * there ended (CPython 3.12+ binds a thread to the last state it made current), so closing that
     * interpreter from another thread leaves the thread nothing freed; scopes detached inside it keep
     * working; C callbacks into main work throughout.
     */
    private static void binding(Python python) throws Exception {
        Python isolated = python.attach(py -> python.newIsolatedInterpreter()); // made inside a main scope
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        long[] inIsolated = new long[1];
                        long value = isolated.attach(py -> {
                            inIsolated[0] = CPython.PyThreadState_Get();
                            return py.eval("6 * 7").asLong();
                        });
                        long bound = CPython.PyGILState_GetThisThreadState();
                        String binding =
                                bound == 0 ? "none" : bound == inIsolated[0] ? "its isolated state" : "another";
                        long nested = isolated.attach(py -> py.detach(() ->
                                isolated.attach(inner -> inner.eval("6 * 7").asLong())
                                        + python.attach(inner ->
                                                inner.eval(CTYPES_CALLBACK).asLong())));
                        long before =
                                python.attach(py -> py.eval(CTYPES_CALLBACK).asLong());
                        CompletableFuture.runAsync(isolated::close)
                                .get(60, TimeUnit.SECONDS); // closed by another thread
                        long after =
                                python.attach(py -> py.eval(CTYPES_CALLBACK).asLong());
                        seen.complete(value + " " + binding + " " + nested + " " + before + " " + after);
                    } catch (Throwable e) {
                        seen.completeExceptionally(e);
                    }
                },
                "isolated-first");
        thread.start();
        System.out.println("isolated, binding after, nested, C callbacks in main: " + seen.get(60, TimeUnit.SECONDS));
        Python other = python.attach(py -> python.newIsolatedInterpreter());
        python.run(py -> other.close());
        System.out.println("made and closed inside attach: " + !other.isRunning());
    }

    /** Creates and closes isolated interpreters, printing the process's RSS along the way. */
    private static void cycles(Python python, int count) throws Exception {
        long[] rss = new long[count + 1];
        String modules = "";
        for (int i = 1; i <= count; i++) {
            try (Python isolated = python.newIsolatedInterpreter()) {
                if (i == 1) {
                    modules = isolated.attach(py -> py.eval(
                                    "' '.join(sorted(m for m in __import__('sys').modules if not m.startswith(('jawait', '_jawait'))))")
                            .asString());
                }
            }
            rss[i] = residentKiB();
        }
        System.out.println("modules: " + modules);
        System.out.println("rss KiB at 100: " + rss[Math.min(100, count)]);
        System.out.println("rss KiB at end: " + rss[count]);
        System.out.println("threads: " + Thread.activeCount());
    }

    private static long residentKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void report(String what, Action action) {
        try {
            action.run();
            System.out.println(what + ": no error");
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            System.out.println(what + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    private static void outcome(String what, CompletableFuture<Object> future) throws Exception {
        try {
            System.out.println(what + ": completed with " + future.get(10, TimeUnit.SECONDS));
        } catch (CancellationException e) {
            // From JDK 23, get() throws a CancellationException("get") caused by the future's own.
            System.out.println(what + ": cancelled: " + (e.getCause() != null ? e.getCause() : e).getMessage());
        } catch (ExecutionException e) {
            System.out.println(what + ": failed: " + e.getCause());
        }
    }
}
