package dev.jawait.backend.asyncio.interpreters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jawait.Python;
import dev.jawait.testing.ChildJvm;
import dev.jawait.testing.TestPython;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Isolated interpreters (CPython 3.12+), each scenario in a child JVM ({@link IsolatedInterpretersChild})
 * where a native crash would fail one test; on 3.9-3.11 asking for one is a clear error.
 */
class IsolatedInterpretersTest {
    private static final int CYCLES = 1000;

    private static int minor() {
        return Integer.parseInt(TestPython.get().version().split("\\.")[1]);
    }

    private static boolean freeThreaded() {
        return TestPython.get()
                .attach(py -> py.eval("bool(__import__('sysconfig').get_config_var('Py_GIL_DISABLED'))")
                        .isTrue());
    }

    @Test
    void beforeCpython312AskingForOneNamesTheVersionAndTheAlternative() {
        assumeTrue(minor() < 12, "this Python has isolated interpreters");
        Python python = TestPython.get();
        UnsupportedOperationException e =
                assertThrows(UnsupportedOperationException.class, python::newIsolatedInterpreter);
        assertEquals(
                "isolated interpreters need CPython 3.12 or newer, with their own GIL (PEP 684); this is Python "
                        + python.version()
                        + ". Use the main interpreter (one GIL shared by every thread), or run Python 3.12+.",
                e.getMessage());
        assertTrue(python.isRunning());
    }

    @Test
    void twoInterpretersRunLoopsAtOnceEachAwaitingVertxFutures() {
        String out = child("parallel");
        // work.meet() holds each loop's GIL until the other loop's thread arrives: with one GIL between them,
        // neither would return (it waits 30 s, then fails the job).
        long sum = 499L * 500 / 2;
        assertTrue(out.contains("first: [true, " + sum + "]"), out);
        assertTrue(out.contains("second: [true, " + sum + "]"), out);
        assertTrue(out.contains("completed on Vert.x threads: true"), out);
        assertTrue(out.contains("names: isolated-1 isolated-2 true false"), out);
    }

    @Test
    void modulesObjectsAndErrorsStayWithTheirInterpreter() {
        String out = child("state");
        for (String line : List.of(
                "a literal default in each: 3 3 3",
                "main mark: main",
                "isolated mark: isolated",
                "one Java function, two modules: 1 2",
                "only_here in isolated: isolated",
                "only_here in main: PythonException: ModuleNotFoundError: No module named 'only_here'",
                "Java error in isolated: PythonException: KeyError: 'JavaValueError: java.lang.IllegalArgumentException: bad input'",
                "main object in isolated: IllegalStateException: PyObject.len: this object belongs to the interpreter main, "
                        + "but the thread holds the GIL of isolated-1",
                "isolated object in main: IllegalStateException: PyObject.len: this object belongs to the interpreter "
                        + "isolated-1, but the thread holds the GIL of main",
                "main object as an argument in isolated: IllegalStateException: this PyObject belongs to the "
                        + "interpreter main, but this thread is in isolated-1",
                "each at home: 3 1",
                "across as Java values: [1, 2, 3]",
                "isolated object after its interpreter closed: IllegalStateException: PyObject.len: this object "
                        + "belonged to the isolated interpreter isolated-1, which is closed",
                "main after: main")) {
            assertTrue(out.contains(line), line + "\n" + out);
        }
    }

    @Test
    void aJavaThreadIsNeverLeftBoundToAnIsolatedInterpretersThreadState() {
        String out = child("binding");
        assertTrue(out.contains("isolated, binding after, nested, C callbacks in main: 42 none 84 42 42"), out);
        assertTrue(out.contains("made and closed inside attach: true"), out);
    }

    @Test
    void closingWithWorkInFlightFailsThatWorkAndClosingMainClosesTheRest() {
        String out = child("close");
        for (String line : List.of(
                "awaiting a Java future: cancelled: work.never() on event loop asyncio ",
                "awaiting asyncio.sleep: cancelled: __main__.slow() on event loop asyncio ",
                "submit after close: IllegalStateException: work.never() on event loop asyncio ",
                "attach after close: IllegalStateException: cannot attach: the isolated interpreter isolated-1 is closed",
                "main still runs: 42",
                "closing main closed the isolated one: true true",
                "work of the isolated interpreter: cancelled: ")) {
            assertTrue(out.contains(line), line + "\n" + out);
        }
        assertTrue(out.contains("was cancelled in Python because its event loop closed"), out);
    }

    @Test
    void interpretersEndWithoutCrashOrJawaitsOwnErrorsAndTheirAtexitCallbacksStillReachJava() {
        ChildJvm.Result result = childResult("ends");
        String out = result.stdout();
        assertTrue(out.contains("datetime in two, the first made closed first: survived"), result.output());
        assertTrue(out.contains("atexit callback ran"), result.output());
        assertTrue(out.contains("finalized at exit"), result.output());
        assertTrue(out.contains("Java called from the atexit callback: 1"), result.output());
        assertTrue(out.contains("main after: 42"), result.output());
        for (String jawaitsOwn : List.of("Exception ignored", "jawait could not convert", "NullPointerException")) {
            assertTrue(!result.stderr().contains(jawaitsOwn), jawaitsOwn + " printed:\n" + result.output());
        }
    }

    /**
     * CPython itself keeps memory per isolated interpreter it ends (gh-110411: an interpreter's
     * object arenas are freed only if no object in them is left), so the bound is CPython's own
     * growth over the same cycles, measured here with its {@code _interpreters} module importing the
     * same modules: jawait's growth from cycle 100 to {@value #CYCLES} stays within 1.5 times that,
     * plus 64 MiB; and no thread is left behind. The child's Java heap is capped, so that the JVM
     * growing its heap (about 40 MiB here otherwise) does not count as memory the cycles kept.
     */
    @Test
    void aThousandCreateCloseCyclesGrowRssNoMoreThanCpythonsOwn() throws Exception {
        assumeTrue(minor() >= 12, "isolated interpreters need CPython 3.12+");
        // Free-threaded 3.13t: CPython alone grows ~4.5 MiB per cycle there (and each takes longer), so
        // fewer cycles show what jawait adds without gigabytes of RSS and minutes of run.
        int cycles = freeThreaded() ? 250 : CYCLES;
        ChildJvm.Result result = ChildJvm.run(
                IsolatedInterpretersChild.class.getName(),
                Map.of(),
                List.of("-Xmx96m"),
                900,
                "cycles",
                String.valueOf(cycles));
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        long jawaitGrowth = number(out, "rss KiB at end: (\\d+)") - number(out, "rss KiB at 100: (\\d+)");
        String modules = match(out, "modules: (.*)");
        String baseline = cpythonCycles(modules, cycles);
        long cpythonGrowth = number(baseline, "rss KiB at end: (\\d+)") - number(baseline, "rss KiB at 100: (\\d+)");
        System.out.printf(
                "RSS growth over cycles 100-%d: jawait %d KiB, CPython alone %d KiB%n",
                cycles, jawaitGrowth, cpythonGrowth);
        assertTrue(
                jawaitGrowth <= cpythonGrowth * 3 / 2 + 64 * 1024,
                "jawait grew " + jawaitGrowth + " KiB, CPython alone " + cpythonGrowth + " KiB\n" + out + baseline);
        assertTrue(number(out, "threads: (\\d+)") < 30, out);
    }

    /**
     * The same cycles with CPython alone: isolated interpreters importing {@code modules}, with the
     * allocator jawait picked (the C one on CPython 3.12.0-3.12.3, see Python.newIsolatedInterpreter).
     */
    private static String cpythonCycles(String modules, int cycles) throws Exception {
        String script = String.join(
                "\n",
                "import importlib, sys",
                "try:",
                "    import _interpreters as interpreters",
                "    create = lambda: interpreters.create('isolated')",
                "    run = interpreters.exec",
                "except ImportError:",
                "    import _xxsubinterpreters as interpreters",
                "    create = lambda: interpreters.create(isolated=True)",
                "    run = interpreters.run_string",
                "code = '''",
                "import importlib",
                "for name in " + pythonList(modules) + ":",
                "    try:",
                "        importlib.import_module(name)",
                "    except ImportError:",
                "        pass",
                "'''",
                "def rss():",
                "    for line in open('/proc/self/status'):",
                "        if line.startswith('VmRSS:'):",
                "            return int(line.split()[1])",
                "for i in range(1, " + cycles + " + 1):",
                "    interpreter = create()",
                "    run(interpreter, code)",
                "    interpreters.destroy(interpreter)",
                "    if i == 100:",
                "        print('rss KiB at 100:', rss())",
                "print('rss KiB at end:', rss())");
        ProcessBuilder builder =
                new ProcessBuilder(TestPython.get().executable().toString(), "-c", script).redirectErrorStream(true);
        String version = TestPython.get().version();
        if (version.startsWith("3.12.") && Integer.parseInt(version.split("\\.")[2]) < 4) {
            builder.environment().put("PYTHONMALLOC", "malloc");
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(900, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static String pythonList(String spaceSeparated) {
        StringBuilder list = new StringBuilder("[");
        for (String name : spaceSeparated.trim().split(" ")) {
            if (!name.isEmpty() && !name.equals("__main__")) {
                list.append('"').append(name).append("\", ");
            }
        }
        return list.append(']').toString();
    }

    private static String child(String scenario) {
        return childResult(scenario).stdout();
    }

    private static ChildJvm.Result childResult(String scenario) {
        assumeTrue(minor() >= 12, "isolated interpreters need CPython 3.12+");
        ChildJvm.Result result =
                ChildJvm.run(IsolatedInterpretersChild.class.getName(), Map.of(), List.of(), 300, scenario);
        assertEquals(0, result.exitCode(), result.output());
        return result;
    }

    private static long number(String text, String regex) {
        return Long.parseLong(match(text, regex));
    }

    private static String match(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex + " in\n" + text);
        return matcher.group(1);
    }
}
