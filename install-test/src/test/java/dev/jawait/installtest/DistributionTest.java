package dev.jawait.installtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution archive, unpacked somewhere else, runs as the README's Install section says. */
class DistributionTest {
    @TempDir
    static Path unpacked;

    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Poms.ROOT.resolve("distribution/target/jawait-" + Poms.VERSION + ".tar.gz");
        assertTrue(Files.isRegularFile(archive), archive + " was built");
        assertEquals(
                0,
                new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString())
                        .inheritIO()
                        .start()
                        .waitFor());
        home = unpacked.resolve("jawait-" + Poms.VERSION);
    }

    /** Runs the unpacked bin/jawait from the temporary directory, with nothing from the checkout; (status, output). */
    private static List<String> jawait(String... args) throws Exception {
        return jawait(Map.of(), args);
    }

    private static List<String> jawait(Map<String, String> environment, String... args) throws Exception {
        return run(home.resolve("bin/jawait").toString(), unpacked, environment, args);
    }

    /** Runs {@code command} (bin/jawait by some path) in {@code directory}; (status, output). */
    private static List<String> run(String command, Path directory, Map<String, String> environment, String... args)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Stream.concat(Stream.of(command), Stream.of(args)).toList())
                .directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("JAWAIT_DIST");
        builder.environment().remove("JAWAIT_CLASSPATH");
        builder.environment().putAll(environment);
        String python = System.getProperty("jawait.python", "");
        if (!python.isBlank()) {
            builder.environment().put("JAWAIT_PYTHON", python);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "bin/jawait " + String.join(" ", args) + " ended");
        return List.of(String.valueOf(process.exitValue()), output);
    }

    @Test
    void theArchiveHoldsTheCommandAndOnlyWhatItNeeds() throws IOException {
        assertTrue(Files.isExecutable(home.resolve("bin/jawait")));
        List<String> names;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            names = jars.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(
                List.of(
                        "jawait-backend-asyncio-" + Poms.VERSION + ".jar",
                        "jawait-backend-sniffio-" + Poms.VERSION + ".jar",
                        "jawait-backend-trio-" + Poms.VERSION + ".jar",
                        "jawait-bridge-core-" + Poms.VERSION + ".jar",
                        "jawait-vertx-" + Poms.VERSION + ".jar"),
                names.stream().filter(n -> n.startsWith("jawait-")).toList());
        assertTrue(names.contains("jna-" + System.getProperty("jna.version") + ".jar"), names.toString());
        // The rest is what jawait run needs: Vert.x, its launcher and the Hazelcast cluster manager; and
        // JNA's native library, unpacked.
        for (String name : names) {
            assertTrue(
                    name.startsWith("jawait-")
                            || name.startsWith("jna-")
                            || name.startsWith("vertx-")
                            || name.startsWith("netty-")
                            || name.startsWith("jackson-")
                            || name.startsWith("picocli-")
                            || name.startsWith("hazelcast-")
                            || name.equals("native"),
                    name);
        }
        assertTrue(names.stream().anyMatch(n -> n.startsWith("vertx-launcher-application-")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("vertx-hazelcast-")), names.toString());
        assertTrue(Files.isRegularFile(home.resolve(JNA_NATIVE).resolve("libjnidispatch.so")), "JNA's native library");
        assertTrue(
                Files.readString(home.resolve("conf/cluster.xml")).contains("<member>127.0.0.1</member>"),
                "jawait run --cluster's Hazelcast configuration");
    }

    @Test
    void runClusteredFromTheArchiveJoinsOnLoopbackWithoutHazelcastsWarningAndNamesTheFixForAMissingModule()
            throws Exception {
        // A module that no package provides: Vert.x starts clustered (Hazelcast with conf/cluster.xml), then
        // the deployment fails, naming the Python in use and the pip command.
        List<String> result = jawait("run", "no_such_module_for_jawait", "--cluster", "--cluster-host", "127.0.0.1");
        assertEquals("15", result.get(0), result.get(1));
        assertTrue(result.get(1).contains("No module named 'no_such_module_for_jawait'"), result.get(1));
        assertTrue(result.get(1).contains("-m pip install no_such_module_for_jawait"), result.get(1));
        assertTrue(result.get(1).contains("Members {size:1"), result.get(1)); // Hazelcast formed its cluster
        assertTrue(!result.get(1).contains("Hazelcast is starting in a Java modular environment"), result.get(1));
    }

    @Test
    void aVerticleTypeChecksAgainstWhatTheArchiveProvides(@TempDir Path work) throws Exception {
        Path typings = work.resolve("typings");
        List<String> stubs = jawait("--stubs", typings.toString());
        assertEquals("0", stubs.get(0), stubs.get(1));
        Path verticle = work.resolve("pricing.py");
        Files.writeString(
                verticle,
                String.join(
                        "\n",
                        "from jawait.vertx import Message, ReplyError, Verticle",
                        "",
                        "async def quote(msg: Message) -> dict[str, float]:",
                        "    if msg.body['item'] != 'tea':",
                        "        raise ReplyError(404, 'no such item')",
                        "    return {'total': 4.5 * msg.body['qty']}",
                        "",
                        "async def start(verticle: Verticle) -> None:",
                        "    verticle.handler('pricing.quote', quote)",
                        "    reply: Message = await verticle.bus.request('prices', None, timeout=2)",
                        "    print(reply.body)",
                        ""));
        String python = System.getProperty("jawait.python", "");
        // scripts/venv leaves mypy out on free-threaded 3.13: its ast_serialize is built with PyO3,
        // which builds for free-threaded CPython from 3.14 only.
        Process probe = new ProcessBuilder(
                        python.isBlank() ? "python3" : python,
                        "-c",
                        "import importlib.util, sys, sysconfig; sys.exit(sysconfig.get_config_var('Py_GIL_DISABLED')"
                                + " and importlib.util.find_spec('mypy') is None)")
                .redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor() == 0, "no mypy for free-threaded CPython 3.13 (its ast_serialize needs 3.14)");
        ProcessBuilder mypy = new ProcessBuilder(
                        python.isBlank() ? "python3" : python,
                        "-m",
                        "mypy",
                        "--strict",
                        "--cache-dir",
                        work.resolve("cache").toString(),
                        verticle.toString())
                .directory(work.toFile())
                .redirectErrorStream(true);
        mypy.environment().put("MYPYPATH", typings.toString());
        Process process = mypy.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "mypy ended");
        assertEquals(0, process.exitValue(), output);
    }

    private static final String JNA_NATIVE = "lib/native/com/sun/jna/linux-x86-64";

    @Test
    void itLoadsJnasNativeLibraryFromTheArchiveAndArchivesItsClassesForTheNextStart(@TempDir Path cache)
            throws Exception {
        List<String> first = jawait(
                Map.of("XDG_CACHE_HOME", cache.toString(), "JAWAIT_JAVA_OPTS", "-XshowSettings:properties"),
                "-c",
                "pass");
        assertEquals("0", first.get(0), first.get(1));
        assertTrue(first.get(1).contains("jna.boot.library.path = " + home.resolve(JNA_NATIVE)), first.get(1));
        Path archives = cache.resolve("jawait/cds");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!hasArchive(archives) && System.nanoTime() < deadline) {
            Thread.sleep(100); // the first run makes it in the background
        }
        assertTrue(hasArchive(archives), "a class data archive in " + archives);
        List<String> next = jawait(
                Map.of("XDG_CACHE_HOME", cache.toString(), "JAWAIT_JAVA_OPTS", "-Xlog:class+load"),
                "-c",
                "print('ran')");
        assertEquals("0", next.get(0), next.get(1));
        // an AppCDS archive on top of the JDK's (JDK 17-24), or an AOT cache (JDK 25+)
        assertTrue(next.get(1).contains("dev.jawait.launcher.Main source: shared objects file"), next.get(1));
        assertTrue(next.get(1).lines().anyMatch("ran"::equals), next.get(1));
    }

    @Test
    void aSymlinkOrARelativePathToTheCommandFindsTheSameInstallationAndArchive(
            @TempDir Path cache, @TempDir Path elsewhere) throws Exception {
        Map<String, String> environment = Map.of("XDG_CACHE_HOME", cache.toString());
        Path real = home.toRealPath();
        List<String> first = run(real.resolve("bin/jawait").toString(), unpacked, environment, "-c", "pass");
        assertEquals("0", first.get(0), first.get(1));
        Path archives = cache.resolve("jawait/cds");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!hasArchive(archives) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(hasArchive(archives), "a class data archive in " + archives);
        Path link = Files.createSymbolicLink(elsewhere.resolve("jawait"), real.resolve("bin/jawait"));
        Map<String, String> logging =
                Map.of("XDG_CACHE_HOME", cache.toString(), "JAWAIT_JAVA_OPTS", "-Xlog:class+load");
        // a symlink and a relative path are resolved; both reach the lib directory and the archive above
        for (List<String> result : List.of(
                run(link.toString(), elsewhere, logging, "-c", "print('ran')"),
                run("bin/jawait", real, logging, "-c", "print('ran')"),
                run("./jawait", real.resolve("bin"), logging, "-c", "print('ran')"))) {
            assertEquals("0", result.get(0), result.get(1));
            assertTrue(result.get(1).contains("dev.jawait.launcher.Main source: shared objects file"), result.get(1));
            assertTrue(result.get(1).lines().anyMatch("ran"::equals), result.get(1));
        }
        try (Stream<Path> files = Files.list(archives)) {
            assertEquals(1, files.count(), "one archive, made by the first run: " + archives);
        }
    }

    private static boolean hasArchive(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            return names.stream().anyMatch(n -> n.endsWith(".jsa") || n.endsWith(".aot"))
                    && names.stream().noneMatch(n -> n.endsWith(".lock"));
        }
    }

    @Test
    void itRunsPythonModulesAsVerticles() throws Exception {
        List<String> result = jawait("run", "--help");
        assertEquals("0", result.get(0), result.get(1));
        assertTrue(result.get(1).startsWith("usage: jawait run MODULE [--loop asyncio|uvloop|trio]"), result.get(1));
        assertTrue(result.get(1).contains("--cluster"), result.get(1));
    }

    @Test
    void versionNamesJawaitJavaAndPython() throws Exception {
        List<String> result = jawait("--version");
        assertEquals("0", result.get(0), result.get(1));
        List<String> lines = result.get(1).lines().toList();
        assertEquals("jawait " + Poms.VERSION, lines.get(0), result.get(1));
        assertTrue(lines.get(1).startsWith("Java "), result.get(1));
        assertTrue(lines.get(2).startsWith("Python 3."), result.get(1));
    }

    @Test
    void itRunsPythonWithItsBackends() throws Exception {
        List<String> result = jawait(
                "-c",
                String.join(
                        "\n",
                        "import asyncio, jawait._backend_asyncio",
                        "async def main():",
                        "    return 'ran on ' + asyncio.get_running_loop().__class__.__module__.split('.')[0]",
                        "print(asyncio.run(main()), jawait.JavaObject.__module__)"));
        assertEquals("0", result.get(0), result.get(1));
        assertEquals("ran on asyncio jawait\n", result.get(1));
    }
}
