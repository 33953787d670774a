package dev.jawait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.export.ModuleDefinition;
import dev.jawait.testing.TestPython;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every Python reference has one owner: after many calls and conversions in both directions,
 * reference counts are back where they started.
 */
class OwnershipTest {
    private static final int N = 100_000;
    private static final ModuleDefinition MODULE = ModuleDefinition.builder("ownershiptest")
            .function("echo", f -> f.param("value", Object.class).body(args -> args.get("value")))
            .function("keep", f -> f.param("value", PyObject.class).body(args -> args.get("value")))
            .function(
                    "wrap",
                    f -> f.param("value", Object.class).body(args -> List.of(args.get("value"), Map.of("k", 1L))))
            .build();

    private final Python python = TestPython.get();

    OwnershipTest() {
        python.register(MODULE);
    }

    /** sys.getrefcount of the object {@code __main__.probe}. */
    private long refcount(Py py) {
        return py.eval("__import__('sys').getrefcount(probe)").asLong();
    }

    @Test
    void javaCallingPythonLeavesNoReference() {
        python.run(py -> {
            py.exec("probe = object()\nidentity = lambda x: x");
            try (PyObject probe = py.eval("probe");
                    PyObject identity = py.eval("identity")) {
                long before = refcount(py);
                for (int i = 0; i < N; i++) {
                    try (PyObject same = identity.call(probe);
                            PyObject list = py.toPython(List.of(probe, i));
                            PyObject first = list.getItem(0)) {
                        if (!same.equals(probe) || !first.equals(probe)) {
                            throw new AssertionError("identity lost");
                        }
                    }
                }
                assertEquals(before, refcount(py));
            }
        });
    }

    @Test
    void pythonCallingJavaLeavesNoReference() {
        python.run(py -> {
            py.exec(String.join(
                    "\n",
                    "import ownershiptest",
                    "probe = object()",
                    "def run(n):",
                    "    for i in range(n):",
                    "        assert ownershiptest.echo(probe) is probe",
                    "        assert ownershiptest.keep(probe) is probe",
                    "        assert ownershiptest.wrap(probe)[0] is probe",
                    "        assert ownershiptest.echo([probe, {'a': probe}, (probe,)])[1]['a'] is probe"));
            long before = refcount(py);
            py.exec("run(" + N + ")");
            assertEquals(before, refcount(py));
        });
    }

    @Test
    void forgottenReferencesAreReleasedAfterCollection() throws InterruptedException {
        long before = python.attach(py -> {
            py.exec("probe = object()");
            return refcount(py);
        });
        python.run(py -> {
            for (int i = 0; i < 10_000; i++) {
                py.eval("probe"); // never closed
            }
        });
        long deadline = System.nanoTime() + 60_000_000_000L;
        long now;
        do {
            System.gc();
            Thread.sleep(20);
            now = python.attach(this::refcount); // attaching drains the queued decrefs
        } while (now != before && System.nanoTime() < deadline);
        assertEquals(before, now);
    }

    @Test
    void closingWithoutTheGilDefersTheRelease() {
        List<PyObject> held = new ArrayList<>();
        long before = python.attach(py -> {
            py.exec("probe = object()");
            long start = refcount(py);
            for (int i = 0; i < 100; i++) {
                held.add(py.eval("probe"));
            }
            assertEquals(start + 100, refcount(py));
            return start;
        });
        held.forEach(PyObject::close); // no GIL here: queued
        assertEquals(before, (long) python.attach(this::refcount));
        assertTrue(held.get(0).isClosed());
        held.get(0).close(); // closing twice is harmless
        assertEquals(before, (long) python.attach(this::refcount));
    }

    @Test
    void newReferencesNeedNoGilAndShareOnePythonReference() throws Exception {
        PyObject original = python.attach(py -> {
            py.exec("probe = object()");
            return py.eval("probe");
        });
        long withOne = python.attach(this::refcount);
        // Another Java thread, without the GIL, keeps the object and lets the original go.
        PyObject kept = CompletableFuture.supplyAsync(() -> {
                    PyObject copy = original.newReference();
                    original.close();
                    return copy;
                })
                .get();
        assertEquals(withOne, (long) python.attach(this::refcount)); // one Python reference, now the copy's
        assertEquals(
                "<class 'object'>",
                python.attach(py -> kept.getAttr("__class__").repr()));
        kept.close();
        assertEquals(withOne - 1, (long) python.attach(this::refcount));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, original::newReference)
                .getMessage()
                .contains("closed"));
    }

    @Test
    void attributeNamesFromDataNeitherLeakNorGrowTheNameCache() {
        python.run(py -> {
            py.exec("import types\nprobe = object()\nrecord = types.SimpleNamespace()");
            try (PyObject record = py.eval("record");
                    PyObject probe = py.eval("probe")) {
                long before = refcount(py);
                int names = 3 * dev.jawait.internal.runtime.PyStrings.MAX_CACHED;
                for (int i = 0; i < names; i++) {
                    String name = "field_" + i + "_\u00e9";
                    record.setAttr(name, probe);
                    try (PyObject value = record.getAttr(name)) {
                        if (!value.equals(probe) || !record.hasAttr(name)) {
                            throw new AssertionError("attribute " + name + " lost");
                        }
                    }
                }
                assertEquals((long) names, py.eval("len(vars(record))").asLong());
                assertEquals(before + names, refcount(py)); // one reference per attribute, none leaked
                py.exec("record.__dict__.clear()");
                assertEquals(before, refcount(py));
                assertTrue(dev.jawait.internal.runtime.PyStrings.cachedCount()
                        <= dev.jawait.internal.runtime.PyStrings.MAX_CACHED);
            }
        });
    }
}
