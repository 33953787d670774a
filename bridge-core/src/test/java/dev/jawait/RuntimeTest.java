package dev.jawait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.TestPython;
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
        String version = python.attach(py -> py.eval("'%d.%d.%d' % __import__('sys').version_info[:3]").asString());
        assertEquals(python.version(), version);
        assertTrue(python.libpython().getFileName().toString().startsWith("libpython3."));
    }

    @Test
    void seesTheSameSysExecutableAndSitePackagesAsTheConfiguredPython() {
        List<?> paths = python.attach(py -> py.eval("__import__('sys').path").as(List.class));
        String executable = python.attach(py -> py.eval("__import__('sys').executable").asString());
        assertEquals(python.executable().toString(), executable);
        assertTrue(paths.stream().anyMatch(p -> p.toString().endsWith("site-packages")), paths.toString());
    }

    @Test
    void sigintStaysWithTheJvmAndPythonSeesItsDefault() {
        String handler = python.attach(py -> py.eval("repr(__import__('signal').getsignal(__import__('signal').SIGINT))").asString());
        assertEquals("<Handlers.SIG_DFL: 0>", handler); // not Python's default_int_handler, and not None
    }

    @Test
    void attachIsReentrantAndKeepsTheToken() {
        python.run(outer -> python.run(inner -> assertSame(outer, inner)));
    }

    @Test
    void usableFromManyJavaThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Long>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                long n = i;
                results.add(CompletableFuture.supplyAsync(
                        () -> python.attach(py -> py.eval("sum(range(" + n + "))").asLong()), pool));
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
        assertTrue(failure.get().getMessage().contains("was used on thread"), failure.get().getMessage());
    }

    @Test
    void aTokenUsedAfterItsScopeIsRefused() {
        Py escaped = python.attach(py -> py);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> escaped.eval("1"));
        assertTrue(e.getMessage().contains("after its attach scope ended"), e.getMessage());
    }

    @Test
    void aTokenUsedWhileDetachedIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> python.run(py -> py.detach(() -> py.eval("1"))));
        assertTrue(e.getMessage().contains("inside py.detach"), e.getMessage());
    }

    @Test
    void attachWorksInsideDetach() {
        long value = python.attach(py -> py.detach(() -> python.attach(inner -> inner.eval("6 * 7").asLong())));
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
        PythonStartupException e = assertThrows(PythonStartupException.class, () -> Python.builder().start());
        assertTrue(e.getMessage().contains("one main interpreter per JVM"), e.getMessage());
    }
}
