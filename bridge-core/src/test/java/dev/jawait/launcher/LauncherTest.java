package dev.jawait.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jawait command's Java main, each run in a child JVM as the command would. */
class LauncherTest {
    @TempDir
    Path temp;

    private static ChildJvm.Result jawait(String... args) {
        return ChildJvm.run(Main.class.getName(), Map.of(), List.of(), 120, args);
    }

    @Test
    void runsCodeWithAJavaModuleNamedOnTheCommandLine() {
        ChildJvm.Result result = jawait("--module-class", StockModule.class.getName(),
                "-c", "import stock; print(stock.add(2, 3))");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("5\n", result.stdout());
    }

    @Test
    void versionPrintsJawaitsJavasAndPythonsVersions() {
        ChildJvm.Result result = jawait("--version");
        assertEquals(0, result.exitCode(), result.output());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(3, lines.size(), result.output());
        assertTrue(lines.get(0).matches("jawait \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), result.output()); // as the build wrote it
        assertTrue(lines.get(1).startsWith("Java " + System.getProperty("java.version") + " ("), result.output());
        assertTrue(lines.get(2).matches("Python 3\\.\\d+\\.\\d+ \\(.+, .+libpython3\\.\\d+.*\\)"), result.output());
    }

    @Test
    void stubsWritesTheStubsOfTheModulesAProgramWouldFind() throws IOException {
        Path out = temp.resolve("typings");
        ChildJvm.Result result = jawait("--module-class", StockModule.class.getName(), "--stubs", out.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().lines().toList().containsAll(List.of(out.resolve("stock.pyi").toString(),
                out.resolve("discovered.pyi").toString(), out.resolve("jawait/__init__.pyi").toString())), result.output());
        assertTrue(Files.readString(out.resolve("stock.pyi")).contains("def add(a: int, b: int) -> int: ..."));
    }

    @Test
    void stubsRefusesADirectoryItCannotWriteNamingTheFix() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "");
        ChildJvm.Result result = jawait("--stubs", file.resolve("typings").toString());
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.stderr().startsWith("jawait: --stubs " + file.resolve("typings") + ": cannot write there ("),
                result.output());
        assertTrue(result.stderr().contains("give a directory that jawait may create or write into"), result.output());
    }

    @Test
    void findsJavaModulesThroughServiceLoader() {
        ChildJvm.Result result = jawait("-c", "import discovered; print(discovered.ping())");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("pong\n", result.stdout());
    }

    @Test
    void faulthandlerLeavesTheJvmTheSignalsItReliesOn() {
        String program = String.join("\n",
                "import faulthandler, stock",
                "print('enabled at start-up:', faulthandler.is_enabled())",
                "faulthandler.enable()",
                "for i in range(100_000):",
                "    stock.add(i, 1)",
                "    if i % 2_000 == 0:",
                "        stock.collectGarbage()",
                "print('survived, enabled:', faulthandler.is_enabled())");
        ChildJvm.Result result = ChildJvm.run(Main.class.getName(), Map.of("PYTHONFAULTHANDLER", "1"), List.of(), 300,
                "--module-class", StockModule.class.getName(), "-c", program);
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("enabled at start-up: True\nsurvived, enabled: True\n", result.stdout(), result.output());
    }

    @Test
    void propagatesTheExitStatus() {
        assertEquals(3, jawait("-c", "import sys; sys.exit(3)").exitCode());
        assertEquals(0, jawait("-c", "import sys; sys.exit()").exitCode());
        ChildJvm.Result message = jawait("-c", "import sys; sys.exit('bye')");
        assertEquals(1, message.exitCode());
        assertEquals("bye\n", message.stderr());
    }

    @Test
    void anUncaughtExceptionPrintsAPythonTracebackAndExitsWith1() {
        ChildJvm.Result result = jawait("-c", "def f():\n    raise ValueError('boom')\nf()");
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.stderr().startsWith("Traceback (most recent call last):"), result.output());
        assertTrue(result.stderr().contains("line 2, in f"), result.output());
        assertTrue(result.stderr().endsWith("ValueError: boom\n"), result.output());
    }

    @Test
    void anUncaughtJavaExceptionShowsAsAJavaError() {
        ChildJvm.Result result = jawait("--module-class", StockModule.class.getName(),
                "-c", "import stock; stock.fail('broken')");
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("jawait.JavaRuntimeError: java.lang.IllegalStateException: broken"),
                result.output());
    }

    @Test
    void runsAScriptAsMainWithItsArguments() throws IOException {
        Path script = temp.resolve("show.py");
        Files.writeString(script, "import sys, threading\nprint(__name__, sys.argv[1:], "
                + "threading.current_thread() is threading.main_thread(), sys.path[0])\n");
        ChildJvm.Result result = jawait(script.toString(), "a", "b c");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("__main__ ['a', 'b c'] True " + temp + "\n", result.stdout());
    }

    @Test
    void runsAModuleAsMain() {
        ChildJvm.Result result = jawait("-m", "calendar", "2024", "1");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("January 2024"), result.output());
    }

    @Test
    void runsACommandOfAJavaModuleFoundThroughServiceLoader() {
        ChildJvm.Result result = jawait("greet", "Ada", "Grace");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals("hello Ada Grace pong\n", result.stdout());
    }

    @Test
    void helpListsTheCommands() {
        ChildJvm.Result result = jawait("--help");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("  COMMAND  a command of a Java module on the class path"), result.output());
        assertTrue(result.stdout().endsWith("commands:\n  jawait greet NAME  greets NAME from Python\n"), result.output());
    }

    @Test
    void rejectsAnUnknownOption() {
        ChildJvm.Result result = jawait("-Q");
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("unknown option -Q"), result.output());
    }

    @Test
    void reportsAMissingModuleClass() {
        ChildJvm.Result result = jawait("--module-class", "no.such.Module", "-c", "pass");
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("--module-class no.such.Module: no such class on the class path"),
                result.output());
    }
}
