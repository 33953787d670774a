package dev.jawait.internal.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept answer to which jars hold a service file: right, and never stale. */
class ServiceFileIndexTest {
    private static final String SERVICE = "META-INF/services/example.Service";

    @TempDir
    Path directory;

    @Test
    void findsTheJarsThatHoldTheFileInClassPathOrderAndKeepsTheAnswer() throws IOException {
        Path cache = directory.resolve("cache");
        Path first = jar("first.jar", Map.of(SERVICE, "example.First\n"), null);
        Path none = jar( // with the index that Maven writes, naming only its own jar
                "none.jar", Map.of("example/Other.class", "", "META-INF/INDEX.LIST", index("none.jar")), null);
        Path second = jar("second.jar", Map.of(SERVICE, "example.Second\n"), null);
        List<Path> classPath = List.of(first, none, directory.resolve("absent.jar"), second);

        List<URL> found = ServiceFileIndex.find(SERVICE, classPath, cache);

        assertEquals(List.of("example.First\n", "example.Second\n"), contents(found));
        assertEquals(1, entries(cache), "the answer is kept");
        assertEquals(found, ServiceFileIndex.find(SERVICE, classPath, cache), "and read back alike");
    }

    @Test
    void aJarThatChangesIsSearchedAgain() throws IOException {
        Path cache = directory.resolve("cache");
        Path first = jar("first.jar", Map.of(SERVICE, "example.First\n"), null);
        Path other = jar("other.jar", Map.of("example/Other.class", ""), null);
        List<Path> classPath = List.of(first, other);
        assertEquals(1, ServiceFileIndex.find(SERVICE, classPath, cache).size());

        jar("other.jar", Map.of(SERVICE, "example.Other\n"), null);
        Files.setLastModifiedTime(
                other, FileTime.fromMillis(Files.getLastModifiedTime(other).toMillis() + 2000));

        assertEquals(
                List.of("example.First\n", "example.Other\n"),
                contents(ServiceFileIndex.find(SERVICE, classPath, cache)));
    }

    @Test
    void aClassPathThatNamesMoreThanItsEntriesIsNotKept() throws IOException {
        Path cache = directory.resolve("cache");
        Path first = jar("first.jar", Map.of(SERVICE, "example.First\n"), null);
        Path naming = jar("naming.jar", Map.of(), "lib/more.jar");
        Path indexing = jar("indexing.jar", Map.of("META-INF/INDEX.LIST", index("indexing.jar", "more.jar")), null);
        Path classes = Files.createDirectories(directory.resolve("classes"));

        assertNull(ServiceFileIndex.find(SERVICE, List.of(first, naming), cache), "a jar's Class-Path");
        assertNull(ServiceFileIndex.find(SERVICE, List.of(first, indexing), cache), "a jar's index");
        assertNull(ServiceFileIndex.find(SERVICE, List.of(first, classes), cache), "a directory");
        assertFalse(Files.exists(cache) && entries(cache) > 0, "nothing kept");
    }

    private Path jar(String name, Map<String, String> files, String classPathAttribute) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPathAttribute != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPathAttribute);
        }
        Path jar = directory.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                jarOut.putNextEntry(new JarEntry(file.getKey()));
                jarOut.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    /** A jar index ({@code META-INF/INDEX.LIST}) naming {@code jars}, each with one package. */
    private static String index(String... jars) {
        StringBuilder index = new StringBuilder("JarIndex-Version: 1.0\n\n");
        for (String jar : jars) {
            index.append(jar).append("\nexample\n\n");
        }
        return index.toString();
    }

    private static List<String> contents(List<URL> urls) throws IOException {
        assertNotNull(urls, "the class path can be kept");
        List<String> contents = new ArrayList<>();
        for (URL url : urls) {
            var connection = url.openConnection();
            connection.setUseCaches(false);
            try (InputStream in = connection.getInputStream()) {
                contents.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return contents;
    }

    private static long entries(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.toString().endsWith(".properties")).count();
        }
    }
}
