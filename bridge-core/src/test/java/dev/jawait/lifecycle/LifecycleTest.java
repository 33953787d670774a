package dev.jawait.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refusals and shutdown, each in a child JVM. */
class LifecycleTest {
    @TempDir
    Path temp;

    private static ChildJvm.Result run(Class<?> main, Map<String, String> environment, String... jvmOptions) {
        return ChildJvm.run(main, environment, List.of(jvmOptions));
    }

    /**
     * An executable that answers jawait's probe as the given interpreter would, for interpreters this
     * machine does not have (a static build, an old version).
     */
    private Path fakePython(String name, String answer) throws IOException {
        Path script = temp.resolve(name);
        Files.writeString(script, "#!/bin/sh\ncat <<'EOF'\n" + answer + "\nEOF\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void noPythonOnPathNamesWhereItLookedAndTheFix() {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", temp.toString());
        environment.put("JAWAIT_PYTHON", null);
        ChildJvm.Result result = run(Children.Start.class, environment, "-Djawait.python=");
        assertEquals(3, result.exitCode(), result.output());
        assertTrue(
                result.stdout().contains("No Python found: looked for 'python3' on PATH (" + temp + ")"),
                result.output());
        assertTrue(result.stdout().contains("JAWAIT_PYTHON"), result.output());
    }

    @Test
    void aMissingExecutableIsNamed() {
        ChildJvm.Result result = run(Children.Start.class, Map.of(), "-Djawait.python=/no/such/python3");
        assertEquals(3, result.exitCode(), result.output());
        assertTrue(
                result.stdout()
                        .contains("'/no/such/python3' (from the jawait.python system property) does not "
                                + "exist; give the path of a Python 3.9+ executable"),
                result.output());
    }

    @Test
    void aPythonBelow39IsRefused() throws IOException {
        Path old = fakePython("python3.8", "version=3.8.18\nimplementation=CPython\nPy_ENABLE_SHARED=1");
        ChildJvm.Result result = run(Children.Start.class, Map.of("JAWAIT_PYTHON", old.toString()), "-Djawait.python=");
        assertEquals(3, result.exitCode(), result.output());
        assertTrue(
                result.stdout().contains("'" + old + "' is Python 3.8.18, below the 3.9 that jawait needs"),
                result.output());
    }

    @Test
    void aPythonNewerThanTheNewestTestedIsRefusedUnlessAllowed() throws IOException {
        Path fake = fakePython(
                "python3.99",
                String.join(
                        "\n",
                        "version=3.99.0",
                        "implementation=CPython",
                        "Py_ENABLE_SHARED=1",
                        "LIBDIR=" + temp,
                        "LDLIBRARY=libpython3.99.so",
                        "INSTSONAME=libpython3.99.so.1.0",
                        "executable=" + temp.resolve("python3.99"),
                        "prefix=/opt/py",
                        "base_prefix=/opt/py"));
        ChildJvm.Result refused = run(Children.Start.class, Map.of(), "-Djawait.python=" + fake);
        assertEquals(3, refused.exitCode(), refused.output());
        assertTrue(
                refused.stdout()
                        .contains("is Python 3.99.0, newer than 3.13, the newest that this jawait is tested on"),
                refused.output());
        assertTrue(refused.stdout().contains("-Djawait.allowUntestedPython=true"), refused.output());
        // Allowed, it gets past the version check to the next one: this fake has no libpython.
        ChildJvm.Result allowed =
                run(Children.Start.class, Map.of(), "-Djawait.python=" + fake, "-Djawait.allowUntestedPython=true");
        assertFalse(allowed.stdout().contains("newer than 3.13"), allowed.output());
    }

    @Test
    void aStaticBuildIsRefusedWithTheFix() throws IOException {
        Path fake = fakePython(
                "python3",
                String.join(
                        "\n",
                        "version=3.11.7",
                        "implementation=CPython",
                        "Py_ENABLE_SHARED=0",
                        "LIBDIR=" + temp,
                        "LDLIBRARY=libpython3.11.a",
                        "INSTSONAME=libpython3.11.a",
                        "MULTIARCH=x86_64-linux-gnu",
                        "executable=" + temp.resolve("python3"),
                        "prefix=/opt/py",
                        "base_prefix=/opt/py"));
        ChildJvm.Result result = run(Children.Start.class, Map.of(), "-Djawait.python=" + fake);
        assertEquals(3, result.exitCode(), result.output());
        assertTrue(
                result.stdout()
                        .contains("has no shared libpython: it was built without --enable-shared (its "
                                + "library is libpython3.11.a in " + temp + ")"),
                result.output());
        assertTrue(result.stdout().contains("PYTHON_CONFIGURE_OPTS=--enable-shared"), result.output());
    }

    @Test
    void closeRunsAtexitThenRefusesEverything() {
        ChildJvm.Result result = run(Children.CloseThenUse.class, Map.of());
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        assertTrue(out.indexOf("atexit ran") < out.indexOf("tryAttach after close: Optional.empty"), result.output());
        assertTrue(out.contains("attach after close: cannot attach: Python is closed"), result.output());
        assertTrue(
                out.contains("restart: ") && out.contains("has been closed; jawait runs one main interpreter per JVM"),
                result.output());
        assertTrue(out.contains("done"), result.output());
    }

    @Test
    void closeWaitsForRunningWorkAndRefusesNewWork() {
        ChildJvm.Result result = run(Children.CloseWaitsForWork.class, Map.of());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("tryAttach while closing: Optional.empty"), result.output());
        assertTrue(result.stdout().contains("close waited for the worker: true"), result.output());
    }

    @Test
    void systemExitWithPythonBusyExitsAndFlushesPythonOutput() {
        ChildJvm.Result result = run(Children.ExitWhileBusy.class, Map.of());
        assertFalse(result.timedOut(), result.output());
        assertEquals(7, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("buffered python output"), result.output());
    }

    @Test
    void returningFromMainWithAPythonThreadRunningExits() {
        ChildJvm.Result result = run(Children.ReturnWhilePythonThreadRuns.class, Map.of());
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void closeDoesNotWaitForJavaThreadsThatUsedThreading() {
        ChildJvm.Result result = run(Children.CloseAfterJavaThreadUsedThreading.class, Map.of());
        assertFalse(result.timedOut(), result.output());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("main thread: MainThread"), result.output());
        assertTrue(result.stdout().contains("closed"), result.output());
    }

    @Test
    void referencesThatOutliveTheInterpreterAreHarmless() {
        ChildJvm.Result result = run(Children.ReferencesOutliveInterpreter.class, Map.of());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("survived"), result.output());
    }
}
