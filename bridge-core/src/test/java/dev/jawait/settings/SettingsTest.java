package dev.jawait.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.Python;
import dev.jawait.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Python.builder()'s settings: their effect (each in a child JVM, with an interpreter of its own) and their refusals. */
class SettingsTest {
    @TempDir
    Path temp;

    @Test
    void pythonPathEnvironmentAndWorkingDirectoryReachPython() throws IOException {
        Path lib = Files.createDirectories(temp.resolve("lib"));
        Files.writeString(lib.resolve("helper.py"), "VALUE = 'imported from the builder path'\n");
        Path work = Files.createDirectories(temp.resolve("work"));
        Files.writeString(work.resolve("data.txt"), "read from the working directory");
        ChildJvm.Result result = ChildJvm.run(
                SettingsChildren.PathEnvironmentDirectory.class, Map.of(), List.of(), lib.toString(), work.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(
                List.of(
                        "sys.path[0]: " + lib.toRealPath(),
                        "helper: imported from the builder path",
                        "environ: from the builder",
                        "dont_write_bytecode: 1",
                        "cwd: " + work.toRealPath(),
                        "relative open: read from the working directory"),
                result.stdout().lines().toList(),
                result.output());
        assertTrue(Files.notExists(lib.resolve("__pycache__")), "PYTHONDONTWRITEBYTECODE applied at start-up");
    }

    @Test
    void forwardedLoggingReachesTheJvmsLoggersWithLevelsAndExceptions() {
        ChildJvm.Result result = ChildJvm.run(SettingsChildren.ForwardedLogging.class, Map.of(), List.of());
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(
                List.of(
                        "shop.orders | INFO | order 7 for tea | -",
                        "shop | WARNING | stock low | -",
                        "shop.orders | SEVERE | pricing failed | PythonException ZeroDivisionError: division by zero",
                        "shop.orders | SEVERE | the Java side failed | java.lang.IllegalStateException: refused on the Java side"),
                result.stdout().lines().toList(),
                result.output());
        assertTrue(result.stderr().isEmpty(), "nothing left for Python's own stderr handler: " + result.output());
    }

    private static void assertRefused(Executable setting, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setting);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    @Test
    void badPythonPathEntriesAreRefusedWithTheFix() throws IOException {
        Path missing = temp.resolve("no-such-dir");
        assertRefused(
                () -> Python.builder().pythonPath(missing),
                "pythonPath(" + missing + ")",
                "does not exist",
                "give an existing directory");
        assertRefused(
                () -> Python.builder().pythonPath("a:b"),
                "pythonPath(\"a:b\") looks like a list of paths",
                "pythonPath(\"a\", \"b\")");
        assertRefused(() -> Python.builder().pythonPath(" "), "pythonPath(\" \")", "blank", "give a directory");
        Path script = Files.writeString(temp.resolve("app.py"), "print('hi')\n");
        assertRefused(
                () -> Python.builder().pythonPath(script),
                "pythonPath(" + script + ")",
                "is a file",
                "pythonPath(\"" + temp.toRealPath() + "\")");
        NullPointerException e =
                assertThrows(NullPointerException.class, () -> Python.builder().pythonPath((Path) null));
        assertTrue(e.getMessage().contains("pythonPath(...): an entry is null"), e.getMessage());
    }

    @Test
    void badEnvironmentVariablesAreRefusedWithTheFix() {
        assertRefused(
                () -> Python.builder().environment("A=B", "1"),
                "environment(\"A=B\", ...)",
                "not a valid environment variable name",
                "without '='");
        assertRefused(() -> Python.builder().environment("", "1"), "environment(\"\", ...)", "not a valid");
        assertRefused(() -> Python.builder().environment("NAME", "a\0b"), "environment(\"NAME\", ...)", "NUL");
        assertRefused(
                () -> Python.builder().environment("PYTHONHOME", "/opt/python"),
                "environment(\"PYTHONHOME\", \"/opt/python\")",
                "executable(\"/opt/python/bin/python3\")");
        NullPointerException e =
                assertThrows(NullPointerException.class, () -> Python.builder().environment("NAME", null));
        assertTrue(e.getMessage().contains("environment(\"NAME\", value): the value is null"), e.getMessage());
    }

    @Test
    void aBadWorkingDirectoryIsRefusedWithTheFix() throws IOException {
        Path missing = temp.resolve("missing");
        assertRefused(
                () -> Python.builder().workingDirectory(missing),
                "workingDirectory(" + missing + ")",
                "does not exist",
                "give an existing directory");
        Path file = Files.writeString(temp.resolve("file.txt"), "");
        assertRefused(() -> Python.builder().workingDirectory(file), "is not a directory");
    }

    @Test
    void forwardingLoggingAtOffIsRefusedWithTheFix() {
        assertRefused(
                () -> Python.builder().forwardLogging(System.Logger.Level.OFF),
                "forwardLogging(OFF)",
                "do not call forwardLogging",
                "INFO");
        NullPointerException e =
                assertThrows(NullPointerException.class, () -> Python.builder().forwardLogging(null));
        assertTrue(e.getMessage().contains("forwardLogging(level): the level is null"), e.getMessage());
    }
}
