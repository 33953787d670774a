package dev.jawait.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.PythonStartupException;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import dev.jawait.launcher.fixtures.StockModule;
import dev.jawait.testing.ChildJvm;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jawait command's Java main, each run in a child JVM as the command would. How it behaves
 * like the python command, side by side with it, is tested from Python ({@code pytests/tests/test_like_python.py}).
 */
class LauncherTest {
    @TempDir
    Path temp;

    private static ChildJvm.Result jawait(String... args) {
        return ChildJvm.run(
                Main.class.getName(), Map.of(), List.of("-D" + Main.COMMAND_PROPERTY + "=jawait"), 120, args);
    }

    @Test
    void runsCodeWithAJavaModuleNamedOnTheCommandLine() {
        ChildJvm.Result result =
                jawait("--module-class", StockModule.class.getName(), "-c", "import stock; print(stock.add(2, 3))");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("5\n", result.stdout());
    }

    @Test
    void versionPrintsJawaitsJavasAndPythonsVersions() {
        ChildJvm.Result result = jawait("--version");
        assertEquals(0, result.exitCode(), result.output());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(3, lines.size(), result.output());
        assertTrue(
                lines.get(0).matches("jawait \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
                result.output()); // as the build wrote it
        assertTrue(lines.get(1).startsWith("Java " + System.getProperty("java.version") + " ("), result.output());
        assertTrue(lines.get(2).matches("Python 3\\.\\d+\\.\\d+ \\(.+, .+libpython3\\.\\d+.*\\)"), result.output());
    }

    @Test
    void stubsWritesTheStubsOfTheModulesAProgramWouldFind() throws IOException {
        Path out = temp.resolve("typings");
        ChildJvm.Result result = jawait("--module-class", StockModule.class.getName(), "--stubs", out.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.stdout()
                        .lines()
                        .toList()
                        .containsAll(List.of(
                                out.resolve("stock.pyi").toString(),
                                out.resolve("discovered.pyi").toString(),
                                out.resolve("jawait/__init__.py").toString(),
                                out.resolve("jawait/py.typed").toString(),
                                out.resolve("_jawait.pyi").toString())),
                result.output());
        assertTrue(Files.readString(out.resolve("stock.pyi")).contains("def add(a: int, b: int) -> int: ..."));
    }

    @Test
    void stubsRefusesADirectoryItCannotWriteNamingTheFix() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "");
        ChildJvm.Result result = jawait("--stubs", file.resolve("typings").toString());
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(
                result.stderr().startsWith("jawait: --stubs " + file.resolve("typings") + ": cannot write there ("),
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
    void aModuleProviderWhoseJarsAreMissingIsSkippedSayingSo() {
        ChildJvm.Result result = ChildJvm.run(
                WithAProviderMissingAJar.class.getName(),
                Map.of(),
                List.of(),
                120,
                "-c",
                "import discovered; print(discovered.ping())");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("pong\n", result.stdout(), result.output());
        assertTrue(result.stderr().contains("skipping a Java module provider that failed to load"), result.output());
        assertTrue(result.stderr().contains("io/example/Missing"), result.output());
    }

    /** The launcher with one more provider listed, as a jar on the class path would list it. */
    public static final class WithAProviderMissingAJar {
        public static void main(String[] args) throws IOException {
            Path services = Files.createTempDirectory("jawait-services");
            Path listing = services.resolve("META-INF/services/" + ModuleProvider.class.getName());
            Files.createDirectories(listing.getParent());
            Files.writeString(listing, NeedsAMissingJar.class.getName() + "\n");
            ClassLoader loader = new URLClassLoader(
                    new URL[] {services.toUri().toURL()}, WithAProviderMissingAJar.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            System.exit(Main.run(args));
        }
    }

    /** A provider whose modules use a class from a jar that is not on the class path. */
    public static final class NeedsAMissingJar implements ModuleProvider {
        @Override
        public List<ModuleDefinition> modules() {
            throw new NoClassDefFoundError("io/example/Missing");
        }
    }

    @Test
    void faulthandlerLeavesTheJvmTheSignalsItReliesOn() {
        String program = String.join(
                "\n",
                "import faulthandler, stock",
                "print('enabled at start-up:', faulthandler.is_enabled())",
                "faulthandler.enable()",
                "for i in range(100_000):",
                "    stock.add(i, 1)",
                "    if i % 2_000 == 0:",
                "        stock.collectGarbage()",
                "print('survived, enabled:', faulthandler.is_enabled())");
        ChildJvm.Result result = ChildJvm.run(
                Main.class.getName(),
                Map.of("PYTHONFAULTHANDLER", "1"),
                List.of(),
                300,
                "--module-class",
                StockModule.class.getName(),
                "-c",
                program);
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
    void theProgramsEndWaitsForJavaThreadsInPythonAndRefusesThemAfter() {
        for (int run = 0; run < 3; run++) {
            ChildJvm.Result result = jawait(
                    "--module-class",
                    StockModule.class.getName(),
                    "-c",
                    "import stock, time\nstock.callPythonFromAJavaThreadUntilRefused()\ntime.sleep(0.2)\nprint('ended')");
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(
                    result.stdout().equals("ended\n") || result.stdout().equals("ended\nrefused after some calls\n"),
                    result.output()); // the JVM may end before the thread prints
            assertEquals("", result.stderr(), result.output());
        }
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
        ChildJvm.Result result =
                jawait("--module-class", StockModule.class.getName(), "-c", "import stock; stock.fail('broken')");
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(
                result.stderr().contains("jawait.JavaRuntimeError: java.lang.IllegalStateException: broken"),
                result.output());
    }

    @Test
    void runsAScriptAsMainWithItsArguments() throws IOException {
        Path script = temp.resolve("show.py");
        Files.writeString(
                script,
                "import sys, threading\nprint(__name__, sys.argv[1:], "
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
    void pythonParsesItsOwnOptionsAndRejectsAnUnknownOne() {
        ChildJvm.Result flags = jawait(
                "-W",
                "error",
                "-X",
                "dev",
                "-u",
                "-O",
                "-B",
                "-c",
                "import sys; print(sys.warnoptions, sys.flags.dev_mode, sys.flags.optimize, sys.dont_write_bytecode)");
        assertEquals(0, flags.exitCode(), flags.output());
        assertEquals("['default', 'error'] True 1 True\n", flags.stdout()); // as the python command has them
        ChildJvm.Result unknown = jawait("-Q");
        assertEquals(2, unknown.exitCode(), unknown.output());
        // "usage: jawait [option] ...", naming the Python executable instead before 3.11, as python itself does
        assertTrue(unknown.stderr().startsWith("Unknown option: -Q\nusage: "), unknown.output());
        assertTrue(unknown.stderr().contains(" [option] ... [-c cmd | -m mod | file | -] [arg] ..."), unknown.output());
    }

    @Test
    void helpListsJawaitsOptionsThenPythons() {
        ChildJvm.Result result = jawait("-h");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().startsWith("usage: jawait [jawait options] [python options]"), result.output());
        assertTrue(result.stdout().contains("--module-class NAME"), result.output());
        assertTrue(result.stdout().contains("-X opt"), result.output()); // Python's own help follows
    }

    @Test
    void aVenvDirectoryGivenAsThePythonNamesThePythonInside() throws IOException {
        Path venv = temp.resolve("venv");
        Files.createDirectories(venv.resolve("bin"));
        Files.createSymbolicLink(venv.resolve("bin/python"), Path.of(System.getProperty("jawait.python")));
        ChildJvm.Result result = jawait("--python", venv.toString(), "-c", "pass");
        assertEquals(1, result.exitCode(), result.output());
        assertEquals(
                "jawait: '" + venv + "' (from --python) is a directory, not a Python executable; give the Python "
                        + "inside it: " + venv.resolve("bin/python") + " (a venv's Python).\n",
                result.stderr());
    }

    @Test
    void aMissingPythonIsBlamedOnTheOptionThatGaveIt() {
        ChildJvm.Result result = jawait("--python", "/no/such/python3", "-c", "pass");
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(
                result.stderr()
                        .startsWith("jawait: '/no/such/python3' (from --python) does not exist; give the path "
                                + "of a Python 3.9+ executable"),
                result.output());
        assertEquals(1, result.stderr().lines().count(), result.output());
    }

    @Test
    void aPythonWithoutSharedLibpythonNamesTheLibraryAndTheOption() throws IOException {
        Path fake = temp.resolve("python3");
        Files.writeString(
                fake,
                "#!/bin/sh\ncat <<'EOF'\n"
                        + String.join(
                                "\n",
                                "version=3.11.7",
                                "implementation=CPython",
                                "Py_ENABLE_SHARED=0",
                                "LIBDIR=/opt/py/lib",
                                "LDLIBRARY=libpython3.11.a",
                                "INSTSONAME=libpython3.11.a",
                                "MULTIARCH=x86_64-linux-gnu",
                                "executable=" + fake,
                                "prefix=/opt/py",
                                "base_prefix=/opt/py")
                        + "\nEOF\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ChildJvm.Result result = jawait("--python", fake.toString(), "-c", "pass");
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(
                result.stderr()
                        .contains("(Python 3.11.7) has no shared libpython: it was built without "
                                + "--enable-shared (its library is libpython3.11.a in /opt/py/lib)"),
                result.output());
        assertTrue(result.stderr().contains("choose a Python 3.9+ with --python"), result.output());
        assertEquals(1, result.stderr().lines().count(), result.output());
    }

    @Test
    void aModuleClassThatJawaitCannotUseGetsOneLineNamingTheFix() {
        String[][] cases = {
            {String.class.getName(), "the class is neither annotated with @PyModule nor a ModuleProvider"},
            {
                NeedsArguments.class.getName(),
                "jawait makes the module with a public no-argument constructor, which "
                        + "the class does not have; add one, or name a ModuleProvider that makes the module instead"
            },
            {NeedsArgumentsProvider.class.getName(), "jawait makes the module with a public no-argument constructor"},
            {FailingProvider.class.getName(), "its constructor failed: java.lang.IllegalStateException: no database"},
        };
        for (String[] c : cases) {
            ChildJvm.Result result = jawait("--module-class", c[0], "-c", "pass");
            assertEquals(2, result.exitCode(), result.output());
            assertTrue(result.stderr().startsWith("jawait: --module-class " + c[0] + ": " + c[1]), result.output());
            assertEquals(1, result.stderr().lines().count(), result.output());
        }
    }

    @Test
    void anApplicationRunsAPythonProgramWithRunMain() {
        ChildJvm.Result result = ChildJvm.run(RunsMain.class.getName(), Map.of(), List.of(), 120);
        assertEquals(4, result.exitCode(), result.output());
        assertEquals("5 ['tools', '-X', 'dev'] True\n", result.stdout(), result.output()); // orig_argv from 3.10
    }

    @Test
    void aPythonThatRefusesToStartIsReportedWithCPythonsReason() {
        ChildJvm.Result result = ChildJvm.run(CannotStart.class.getName(), Map.of(), List.of(), 120);
        assertEquals(1, result.exitCode(), result.output());
        // the function and message of the PyStatus that CPython's PEP 587 start returned
        assertTrue(result.stderr().contains(") could not start: "), result.output());
        assertTrue(result.stderr().contains(": PYTHONMALLOC: unknown allocator"), result.output());
    }

    /** runMain with a setting that CPython refuses while it starts. */
    public static final class CannotStart {
        public static void main(String[] args) {
            try {
                System.exit(dev.jawait.Python.builder()
                        .environment("PYTHONMALLOC", "no-such-allocator")
                        .runMain(List.of("tools", "-c", "pass")));
            } catch (PythonStartupException e) {
                System.err.println(e.getMessage());
                System.exit(1);
            }
        }
    }

    /** An application's own command, as Python.Builder.runMain's Javadoc shows it. */
    public static final class RunsMain {
        public static void main(String[] args) {
            String program =
                    "import stock, sys\nprint(stock.add(2, 3), getattr(sys, 'orig_argv', ['tools', '-X', 'dev'])[:3], "
                            + "sys.flags.dev_mode)\nsys.exit(4)";
            System.exit(dev.jawait.Python.builder()
                    .module(StockModule.class)
                    .runMain(List.of("tools", "-X", "dev", "-c", program)));
        }
    }

    /** A module whose instance functions need an instance that jawait cannot make. */
    @PyModule("needs_arguments")
    public static class NeedsArguments {
        public NeedsArguments(String database) {}

        @PyFunction
        public long count() {
            return 0;
        }
    }

    public static class NeedsArgumentsProvider implements ModuleProvider {
        public NeedsArgumentsProvider(String database) {}

        @Override
        public List<ModuleDefinition> modules() {
            return List.of();
        }
    }

    public static class FailingProvider implements ModuleProvider {
        public FailingProvider() {
            throw new IllegalStateException("no database");
        }

        @Override
        public List<ModuleDefinition> modules() {
            return List.of();
        }
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
        assertTrue(
                result.stdout()
                        .contains("Commands, instead of a Python program (jawait COMMAND ARGS..., a script of "
                                + "that name as ./NAME):\n  jawait greet NAME  greets NAME from Python\n"),
                result.output());
    }

    @Test
    void reportsAMissingModuleClass() {
        ChildJvm.Result result = jawait("--module-class", "no.such.Module", "-c", "pass");
        assertEquals(2, result.exitCode(), result.output());
        assertEquals(
                "jawait: --module-class no.such.Module: no such class on the class path; give the class's full "
                        + "name, and its jar or directory with --cp\n",
                result.stderr());
    }
}
