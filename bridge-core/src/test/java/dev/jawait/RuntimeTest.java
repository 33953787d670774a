package dev.jawait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.TestPython;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RuntimeTest {
    private final Python python = TestPython.get();

    @Test
    void reportsTheVersionOfTheEmbeddedPython() {
        String version = python.attach(
                py -> py.eval("'%d.%d.%d' % __import__('sys').version_info[:3]").asString());
        assertEquals(python.version(), version);
        assertTrue(python.libpython().getFileName().toString().startsWith("libpython3."));
    }

    @Test
    void seesTheSameSysExecutableAndSitePackagesAsTheConfiguredPython() {
        List<?> paths = python.attach(py -> py.eval("__import__('sys').path").as(List.class));
        String executable =
                python.attach(py -> py.eval("__import__('sys').executable").asString());
        assertEquals(python.executable().toString(), executable);
        assertTrue(paths.stream().anyMatch(p -> p.toString().endsWith("site-packages")), paths.toString());
    }

    @Test
    void sigintStaysWithTheJvmAndPythonSeesItsDefault() {
        String handler =
                python.attach(py -> py.eval("repr(__import__('signal').getsignal(__import__('signal').SIGINT))")
                        .asString());
        assertEquals("<Handlers.SIG_DFL: 0>", handler); // not Python's default_int_handler, and not None
    }

    @Test
    void typedCallsConvertTheResultAndKeepNoReferenceToIt() {
        python.run(py -> {
            py.exec(String.join(
                    "\n",
                    "typed_kept = object()",
                    "typed_calls = []",
                    "def typed_add(a, b): return a + b",
                    "def typed_give(): return typed_kept",
                    "def typed_record(x): typed_calls.append(x); return typed_kept",
                    "def typed_fail(): raise KeyError('k')"));
            try (PyObject add = py.eval("typed_add");
                    PyObject give = py.eval("typed_give");
                    PyObject record = py.eval("typed_record");
                    PyObject fail = py.eval("typed_fail");
                    PyObject kept = py.eval("typed_kept");
                    PyObject refcount = py.eval("__import__('sys').getrefcount")) {
                assertEquals(5L, add.callAsLong(2, 3));
                assertEquals(3.5, add.callAsDouble(1.5, 2));
                assertEquals(4.0, add.callAsDouble(1, 3)); // an int result widens, as asDouble does
                assertEquals("ab", add.callAs(String.class, "a", "b"));
                assertEquals(List.of(1L, 2L), add.callAs(List.class, List.of(1L), List.of(2L)));
                assertThrows(ClassCastException.class, () -> add.callAsLong("a", "b"));
                assertThrows(ClassCastException.class, () -> add.callAs(String.class, 1, 2));

                long before = refcount.callAsLong(kept);
                for (int i = 0; i < 1000; i++) {
                    record.callVoid(i);
                    give.callAs(PyObject.class).close();
                    assertThrows(ClassCastException.class, give::callAsLong);
                }
                assertEquals(before, refcount.callAsLong(kept), "typed calls leave the result's count as it was");
                assertEquals(1000L, py.eval("len(typed_calls)").asLong());
                for (Runnable call : List.<Runnable>of(
                        fail::callVoid, fail::callAsLong, fail::callAsDouble, () -> fail.callAs(String.class))) {
                    assertEquals(
                            "KeyError",
                            assertThrows(PythonException.class, call::run).pythonType());
                }
            } finally {
                py.exec("del typed_kept, typed_calls, typed_add, typed_give, typed_record, typed_fail");
            }
        });
    }

    @Test
    void attachIsReentrantAndKeepsTheToken() {
        python.run(outer -> python.run(inner -> assertSame(outer, inner)));
    }

    @Test
    void usableFromManyJavaThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Long>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                long n = i;
                results.add(CompletableFuture.supplyAsync(
                        () -> python.attach(
                                py -> py.eval("sum(range(" + n + "))").asLong()),
                        pool));
            }
            for (int i = 0; i < 64; i++) {
                assertEquals((long) i * (i - 1) / 2, results.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenUsedOnAnotherThreadIsRefused() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        python.run(py -> {
            Thread other = new Thread(() -> {
                try {
                    py.eval("1");
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            py.detach(() -> {
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        });
        assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
        assertTrue(
                failure.get().getMessage().contains("was used on thread"),
                failure.get().getMessage());
    }

    @Test
    void aTokenUsedAfterItsScopeIsRefused() {
        Py escaped = python.attach(py -> py);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> escaped.eval("1"));
        assertTrue(e.getMessage().contains("after its attach scope ended"), e.getMessage());
    }

    @Test
    void aTokenUsedWhileDetachedIsRefused() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> python.run(py -> py.detach(() -> py.eval("1"))));
        assertTrue(e.getMessage().contains("inside py.detach"), e.getMessage());
    }

    @Test
    void attachWorksInsideDetach() {
        long value = python.attach(
                py -> py.detach(() -> python.attach(inner -> inner.eval("6 * 7").asLong())));
        assertEquals(42, value);
    }

    @Test
    void pyObjectOperationsNeedTheGil() {
        PyObject list = python.attach(py -> py.eval("[1, 2, 3]"));
        IllegalStateException e = assertThrows(IllegalStateException.class, list::len);
        assertTrue(e.getMessage().contains("needs the GIL"), e.getMessage());
        assertEquals(3L, (long) python.attach(py -> list.len()));
        list.close();
    }

    @Test
    void startingASecondInterpreterIsRefused() {
        PythonStartupException e = assertThrows(
                PythonStartupException.class, () -> Python.builder().start());
        assertTrue(e.getMessage().contains("one main interpreter per JVM"), e.getMessage());
    }
}
