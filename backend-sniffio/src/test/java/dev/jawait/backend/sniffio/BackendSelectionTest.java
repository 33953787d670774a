package dev.jawait.backend.sniffio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.Python;
import dev.jawait.PythonException;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.internal.async.Backends;
import dev.jawait.testing.ChildJvm;
import dev.jawait.testing.TestPython;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which backend a function gets, and what happens when one is missing. */
class BackendSelectionTest {
    private final Python python = TestPython.get();

    @Test
    void allThreeBackendsAreFoundAndSniffioIsTheDefault() {
        assertEquals("asyncio", Backends.require("asyncio").name());
        assertEquals("trio", Backends.require("trio").name());
        assertEquals("jawait._backend_sniffio", Backends.require("sniffio").pythonModule());
        assertEquals("sniffio", python.attach(py -> Backends.defaultName()));
    }

    @Test
    void aFunctionNamingAMissingBackendFailsAtImportWithTheFix() {
        python.register(ModuleDefinition.builder("needs_curio")
                .asyncFunction("run", f -> f.backend("curio").body(args -> CompletableFuture.completedFuture(1)))
                .build());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> python.run(py -> py.exec("import needs_curio")));
        assertTrue(
                e.getMessage().contains("no jawait async backend named 'curio' is on the class path"), e.getMessage());
        assertTrue(e.getMessage().contains("add the dev.jawait:jawait-backend-curio jar"), e.getMessage());
    }

    @Test
    void aMissingPythonPackageIsNamedWithThePipLineForThePythonInUse(@TempDir Path temp) throws Exception {
        // A venv of the same base Python with no packages at all.
        String base =
                python.attach(py -> py.eval("__import__('sys').base_prefix").asString());
        Path bare = temp.resolve("bare");
        Process venv = new ProcessBuilder(base + "/bin/python3", "-m", "venv", "--without-pip", bare.toString())
                .inheritIO()
                .start();
        assertEquals(0, venv.waitFor());
        String exe = bare.resolve("bin/python").toString();
        ChildJvm.Result result =
                ChildJvm.run(Children.WithoutPackages.class, Map.of("JAWAIT_PYTHON", exe), List.of("-Djawait.python="));
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(
                List.of(
                        "trio: jawait's trio backend needs the Python packages 'trio', 'outcome', which " + exe
                                + " cannot import; install them: " + exe + " -m pip install trio outcome",
                        "uvloop: a uvloop event loop needs the Python package 'uvloop', which " + exe
                                + " cannot import; install it: " + exe
                                + " -m pip install uvloop (or start an \"asyncio\" loop)",
                        "sniffio: jawait's sniffio backend needs the Python package 'sniffio', which " + exe
                                + " cannot import; install it: " + exe + " -m pip install sniffio",
                        "asyncio: asyncio needs nothing"),
                result.stdout().lines().toList(),
                result.output());
    }

    @Test
    void theDefaultFollowsTheSystemProperty() {
        ChildJvm.Result result =
                ChildJvm.run(Children.AwaitUnderAsyncio.class, Map.of(), List.of("-Djawait.backend=trio"));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.stdout()
                        .contains("error: RuntimeError selection.ready() uses jawait's trio backend, but "
                                + "asyncio is running"),
                result.output());
        ChildJvm.Result sniffio = ChildJvm.run(Children.AwaitUnderAsyncio.class, Map.of(), List.of());
        assertTrue(sniffio.stdout().contains("result: ready"), sniffio.output());
    }

    @Test
    void aForcedBackendClassThatDoesNotExistIsNamed() {
        ChildJvm.Result result = ChildJvm.run(
                Children.AwaitUnderAsyncio.class,
                Map.of(),
                List.of("-Djawait.backend.asyncio=com.example.NoSuchBackend"));
        assertTrue(
                result.stdout()
                        .contains("-Djawait.backend.asyncio=com.example.NoSuchBackend does not name an "
                                + "AsyncBackend with a public no-argument constructor"),
                result.output());
    }

    @Test
    void closingPythonStopsItsLoopsAndCancelsTheirWork() {
        ChildJvm.Result result = ChildJvm.run(Children.CloseWithBusyLoops.class, Map.of(), List.of());
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(
                2,
                result.stdout()
                        .lines()
                        .filter(l ->
                                l.startsWith("nap: ") && l.contains("was cancelled in Python because its event loop"))
                        .count(),
                result.output());
        assertTrue(result.stdout().contains("loops closed: true true"), result.output());
    }

    @Test
    void awaitingUnderNoLibraryNamesTheSniffioBackend() {
        python.register(Children.MODULE);
        PythonException e = assertThrows(
                PythonException.class,
                () -> python.run(py -> py.exec("import selection\nselection.ready().send(None)")));
        assertEquals("RuntimeError", e.pythonType());
        assertTrue(
                e.pythonMessage()
                        .startsWith("selection.ready() uses jawait's sniffio backend, but no async "
                                + "library is running"),
                e.pythonMessage());
    }
}
