package dev.jawait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import dev.jawait.export.PyParam;
import dev.jawait.testing.TestPython;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExportTest {
    enum Color {
        RED,
        GREEN
    }

    record Item(String name) {}

    @PyModule(value = "exporttest", doc = "A module for ExportTest.")
    public static class Exported {
        final AtomicInteger calls = new AtomicInteger();

        @PyFunction(doc = "Adds two counts.")
        public long add(long a, @PyParam(defaultValue = "1") long b) {
            calls.incrementAndGet();
            return a + b;
        }

        @PyFunction(name = "greet")
        public static String hello(String who, @PyParam(keywordOnly = true, defaultValue = "'Hello'") String greeting) {
            return greeting + ", " + who + "!";
        }

        @PyFunction
        public static long total(List<Long> values, Map<String, Integer> weights) {
            long sum = values.stream().mapToLong(Long::longValue).sum();
            return sum + weights.values().stream().mapToInt(Integer::intValue).sum();
        }

        @PyFunction
        public static String describe(Item item, Color color) {
            return item.name() + " is " + color;
        }

        @PyFunction
        public static Item item(String name) {
            return new Item(name);
        }

        @PyFunction
        public static long apply(Function<Long, Long> f, long x) {
            return f.apply(x);
        }

        @PyFunction
        public static String whoCalls(Py py) {
            return py.eval("__import__('threading').current_thread().name").asString();
        }

        @PyFunction
        public static String order(JsonObject order, JsonArray tags) {
            return order.getString("item") + " x" + order.getInteger("qty") + " " + tags.encode();
        }

        @PyFunction
        public static int small(int value) {
            return value;
        }

        @PyFunction
        public static void nothing() {}

        /** Open only while waitReleased/waitHolding runs; a Python thread passing it counts the latch down. */
        static volatile boolean gateOpen;

        static volatile CountDownLatch passed;

        @PyFunction
        public static boolean passGate() {
            if (gateOpen) {
                passed.countDown();
                return true;
            }
            return false;
        }

        static boolean waitAtGate(long millis) throws InterruptedException {
            passed = new CountDownLatch(1);
            gateOpen = true;
            try {
                return passed.await(millis, TimeUnit.MILLISECONDS);
            } finally {
                gateOpen = false;
            }
        }

        @PyFunction(releaseGil = true)
        public static boolean waitReleased(long millis) throws InterruptedException {
            return waitAtGate(millis);
        }

        @PyFunction
        public static boolean waitHolding(long millis) throws InterruptedException {
            return waitAtGate(millis);
        }
    }

    private static final Exported EXPORTED = new Exported();
    private static final ModuleDefinition ANNOTATED = ModuleDefinition.of(EXPORTED);
    private static final ModuleDefinition BUILT = ModuleDefinition.builder("builttest")
            .doc("Built in code.")
            .function(
                    "scale",
                    f -> f.param("value", double.class)
                            .param("factor", double.class, 2.0)
                            .doc("Multiplies.")
                            .body(args -> args.getDouble("value") * args.getDouble("factor")))
            .function(
                    "label",
                    f -> f.param("text", String.class)
                            .keywordOnly("suffix", String.class, null)
                            .body(args -> args.getString("text")
                                    + (args.get("suffix") == null ? "" : args.getString("suffix"))))
            .build();

    private final Python python = TestPython.get();

    ExportTest() {
        python.register(ANNOTATED);
        python.register(BUILT);
    }

    private String eval(String expression) {
        return python.attach(py -> {
            py.exec("import exporttest, builttest");
            try (PyObject result = py.eval(expression)) {
                return result.repr();
            }
        });
    }

    private PythonException pythonError(String statement) {
        return assertThrows(
                PythonException.class, () -> python.run(py -> py.exec("import exporttest, builttest\n" + statement)));
    }

    @Test
    void annotatedFunctionsWithDefaultsAndKeywords() {
        assertEquals("5", eval("exporttest.add(2, 3)"));
        assertEquals("3", eval("exporttest.add(2)"));
        assertEquals("10", eval("exporttest.add(b=6, a=4)"));
        assertEquals("'Hello, Ada!'", eval("exporttest.greet('Ada')"));
        assertEquals("'Hi, Ada!'", eval("exporttest.greet('Ada', greeting='Hi')"));
        assertEquals("'A module for ExportTest.'", eval("exporttest.__doc__"));
        assertEquals("'exporttest'", eval("exporttest.add.__module__"));
        assertEquals("None", eval("exporttest.nothing()"));
    }

    @Test
    void builtFunctions() {
        assertEquals("7.0", eval("builttest.scale(3.5)"));
        assertEquals("1.5", eval("builttest.scale(0.5, factor=3)"));
        assertEquals("'ab'", eval("builttest.label('a', suffix='b')"));
        assertEquals("'a'", eval("builttest.label('a')"));
    }

    @Test
    void signaturesAreVisibleToInspect() {
        assertEquals("'(a, b=1)'", eval("str(__import__('inspect').signature(exporttest.add))"));
        assertEquals("\"(who, *, greeting='Hello')\"", eval("str(__import__('inspect').signature(exporttest.greet))"));
        assertEquals("'(value, factor=2.0)'", eval("str(__import__('inspect').signature(builttest.scale))"));
        assertEquals("'Adds two counts.'", eval("exporttest.add.__doc__"));
    }

    @Test
    void containersJavaObjectsEnumsAndCallables() {
        assertEquals("16", eval("exporttest.total([1, 2, 3], {'a': 4, 'b': 6})"));
        assertEquals("'tea is GREEN'", eval("exporttest.describe(exporttest.item('tea'), 'GREEN')"));
        assertEquals("43", eval("exporttest.apply(lambda x: x + 1, 42)"));
        assertEquals("'tea x3 [\"green\",1]'", eval("exporttest.order({'item': 'tea', 'qty': 3}, ('green', 1))"));
    }

    @Test
    void theGilTokenIsInjected() {
        String names = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import threading, exporttest",
                    "names = []",
                    "worker = threading.Thread(name='worker', target=lambda: names.append(exporttest.whoCalls()))",
                    "worker.start()",
                    "worker.join()",
                    "names.append(exporttest.whoCalls())"));
            return py.eval("names").str();
        });
        // The calling thread's own name each time: a Python-created thread, then a Java thread.
        assertTrue(names.startsWith("['worker', "), names);
    }

    @Test
    void wrongArgumentTypesNameFunctionParameterAndTypes() {
        PythonException e = pythonError("exporttest.add('x', 2)");
        assertEquals("TypeError", e.pythonType());
        assertEquals("exporttest.add() argument 'a' must be int, not str", e.pythonMessage());
        assertEquals(
                "exporttest.add() argument 'b' must be int, not bool",
                pythonError("exporttest.add(1, b=True)").pythonMessage());
        assertEquals(
                "exporttest.total() argument 'values' must be list, not int",
                pythonError("exporttest.total(5, {})").pythonMessage());
        assertEquals(
                "exporttest.total() argument 'values' must be int, not str",
                pythonError("exporttest.total(['a'], {})").pythonMessage());
        assertEquals(
                "exporttest.describe() argument 'item' must be a Java dev.jawait.ExportTest$Item, not str",
                pythonError("exporttest.describe('tea', 'RED')").pythonMessage());
        assertEquals(
                "exporttest.describe() argument 'color' must be str naming a Color constant, not 'BLUE'",
                pythonError("exporttest.describe(exporttest.item('x'), 'BLUE')").pythonMessage());
        assertEquals(
                "exporttest.order() argument 'order' must be dict of JSON values, not dict with set value at "
                        + "['extras']",
                pythonError("exporttest.order({'item': 'tea', 'extras': {'milk'}}, [])")
                        .pythonMessage());
        assertEquals(
                "exporttest.order() argument 'tags' must be list of JSON values, not str",
                pythonError("exporttest.order({}, 'green')").pythonMessage());
        PythonException overflow = pythonError("exporttest.small(2**40)");
        assertEquals("OverflowError", overflow.pythonType());
        assertEquals(
                "exporttest.small() argument 'value': 1099511627776 does not fit in a Java int",
                overflow.pythonMessage());
    }

    @Test
    void wrongArgumentShapesReadLikePython() {
        assertEquals(
                "exporttest.add() missing required argument 'a'",
                pythonError("exporttest.add()").pythonMessage());
        assertEquals(
                "exporttest.add() takes at most 2 positional arguments (3 given)",
                pythonError("exporttest.add(1, 2, 3)").pythonMessage());
        assertEquals(
                "exporttest.add() got an unexpected keyword argument 'c'",
                pythonError("exporttest.add(1, c=2)").pythonMessage());
        assertEquals(
                "exporttest.add() got multiple values for argument 'a'",
                pythonError("exporttest.add(1, a=2)").pythonMessage());
        assertEquals(
                "exporttest.greet() takes at most 1 positional argument (2 given)",
                pythonError("exporttest.greet('a', 'b')").pythonMessage());
        assertEquals(
                "exporttest.nothing() takes no positional arguments (1 given)",
                pythonError("exporttest.nothing(1)").pythonMessage());
    }

    @Test
    void pythonThreadsCallJavaConcurrently() {
        int before = EXPORTED.calls.get();
        long total = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import threading, exporttest",
                    "sums = []",
                    "def work():",
                    "    sums.append(sum(exporttest.add(i) for i in range(1000)))",
                    "threads = [threading.Thread(target=work) for _ in range(8)]",
                    "for t in threads: t.start()",
                    "for t in threads: t.join()"));
            return py.eval("sum(sums)").asLong();
        });
        assertEquals(8L * (999 * 1000 / 2 + 1000), total);
        assertEquals(before + 8000, EXPORTED.calls.get());
    }

    /** Whether a Python thread got to run Python code while the main thread was inside {@code call}. */
    private boolean pythonThreadRanDuring(String call) {
        return python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import threading, time, exporttest",
                    "stop = threading.Event()",
                    "def knock():",
                    "    while not stop.is_set() and not exporttest.passGate():",
                    "        time.sleep(0.0005)",
                    "knocker = threading.Thread(target=knock)",
                    "knocker.start()",
                    "ran = " + call,
                    "stop.set()",
                    "knocker.join()"));
            return py.eval("ran").isTrue();
        });
    }

    @Test
    void releaseGilLetsPythonThreadsRunWhileJavaWorks() {
        assertTrue(pythonThreadRanDuring("exporttest.waitReleased(30_000)"));
        boolean gil = python.attach(py -> py.eval("getattr(__import__('sys'), '_is_gil_enabled', lambda: True)()")
                .isTrue());
        // Holding the GIL, the other thread cannot run at all: the wait always times out. With no GIL
        // (free-threaded), the other thread runs Python meanwhile, attached as this one is.
        assertEquals(!gil, pythonThreadRanDuring("exporttest.waitHolding(" + (gil ? 300 : 30_000) + ")"));
    }

    @PyModule("executortest")
    public static class OnExecutor {
        @PyFunction
        public static CompletableFuture<Long> later(long value) {
            return CompletableFuture.completedFuture(value);
        }

        @PyFunction
        public static long now(long value) {
            return value;
        }
    }

    @PyModule("tokenonexecutortest")
    public static class TokenOnExecutor {
        @PyFunction
        public static CompletableFuture<String> name(Py py) {
            return CompletableFuture.completedFuture(py.toString());
        }
    }

    @PyModule("synccancellationtest")
    public static class SyncWithCancellation {
        @PyFunction
        public static long count(dev.jawait.export.Cancellation cancellation) {
            return 1;
        }
    }

    @Test
    void onlyAsyncFunctionsTakeACancellationOrABackend() {
        IllegalArgumentException cancellation =
                assertThrows(IllegalArgumentException.class, () -> ModuleDefinition.of(SyncWithCancellation.class));
        assertEquals(
                "count() takes a Cancellation, but only async and stream functions can be cancelled",
                cancellation.getMessage());
        IllegalArgumentException backend = assertThrows(
                IllegalArgumentException.class,
                () -> ModuleDefinition.builder("syncbackendtest")
                        .function("now", f -> f.backend("trio").body(args -> 1L))
                        .build());
        assertEquals("now() names a backend but returns neither a future nor a stream", backend.getMessage());
    }

    @Test
    void runningOnAnExecutorAppliesToAsyncFunctionsAndRefusesTheGilToken() {
        Executor executor = Runnable::run;
        ModuleDefinition module = ModuleDefinition.of(OnExecutor.class).runningOn(executor);
        Map<String, Object> executors = new HashMap<>();
        module.functions().forEach(f -> executors.put(f.name(), f.executor().orElse(null)));
        assertEquals(
                Map.of("later", executor),
                executors.entrySet().stream()
                        .filter(e -> e.getValue() != null)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertTrue(executors.containsKey("now") && executors.get("now") == null, "sync functions stay on the caller");

        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ModuleDefinition.of(TokenOnExecutor.class).runningOn(executor));
        assertEquals(
                "name() takes a Py parameter, so it cannot run on an executor: the GIL token belongs to the "
                        + "calling thread; use Python.attach in the body instead",
                refused.getMessage());
    }
}
