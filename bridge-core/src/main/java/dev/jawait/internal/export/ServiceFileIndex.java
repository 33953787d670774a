package dev.jawait.internal.export;

import dev.jawait.internal.runtime.CacheFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Which jars of the class path hold a service file, kept between runs: ServiceLoader finds it by
 * opening every jar on the class path, which costs a start ~30 ms with the distribution's jars
 * (Hazelcast's alone has ~10,000 entries), where the file is in one of them.
 *
 * <p>An answer is kept under {@code $XDG_CACHE_HOME/jawait/services} (else {@code ~/.cache/...}),
 * keyed by the class path: each jar's path, size and modification time. Only a class path of jars
 * that name no others (no {@code Class-Path} manifest attribute, no {@code INDEX.LIST} naming another
 * jar) is kept, since
 * only then are its jars all that the class loader searches; one with a directory is searched every
 * time, as the files of a directory can change unseen. Failing to read or write the cache only
 * means searching.
 */
public final class ServiceFileIndex {
    private ServiceFileIndex() {}

    /** Changes whenever what is kept changes, so that old entries are not read. */
    private static final String FORMAT = "1";

    private static final String JARS = "jars";

    /**
     * A class loader that finds {@code serviceFile} in the jars the index names and delegates all else
     * to {@code loader}, or {@code loader} itself where the index cannot serve: a loader other than
     * the JDK's own system class loader (one set with {@code -Djava.system.class.loader} may search
     * more than the class path), jawait in a named module (whose providers come from module
     * declarations as well), a class path that cannot be kept.
     */
    public static ClassLoader loaderFor(String serviceFile, ClassLoader loader) {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (loader != system
                || !system.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader")
                || ServiceFileIndex.class.getModule().isNamed()) {
            return loader;
        }
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        List<URL> found;
        try {
            found = find(serviceFile, classPath, CacheFiles.directory("services"));
        } catch (RuntimeException e) {
            return loader;
        }
        if (found == null) {
            return loader;
        }
        return new ClassLoader(system) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(serviceFile) ? Collections.enumeration(found) : super.getResources(name);
            }
        };
    }

    /**
     * The URLs of {@code serviceFile} in the jars of {@code classPath}, in class path order, kept in
     * {@code directory}; null if the class path cannot be kept (a directory, a jar that names others, a
     * jar that cannot be read).
     */
    static List<URL> find(String serviceFile, List<Path> classPath, Path directory) {
        String key = key(serviceFile, classPath);
        if (key == null) {
            return null;
        }
        Path entry = CacheFiles.entry(directory, key);
        List<Path> jars = read(entry, key);
        if (jars == null) {
            jars = search(serviceFile, classPath);
            if (jars == null) {
                return null;
            }
            write(entry, key, jars);
        }
        List<URL> urls = new ArrayList<>(jars.size());
        for (Path jar : jars) {
            try {
                urls.add(new URL("jar:" + jar.toUri() + "!/" + serviceFile));
            } catch (MalformedURLException e) {
                return null;
            }
        }
        return urls;
    }

    /** What the answer depends on, or null if the class path holds anything but files. */
    private static String key(String serviceFile, List<Path> classPath) {
        StringBuilder key =
                new StringBuilder(FORMAT).append('\n').append(serviceFile).append('\n');
        for (Path entry : classPath) {
            key.append(entry);
            try {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                if (!attributes.isRegularFile()) {
                    return null;
                }
                key.append(' ')
                        .append(attributes.size())
                        .append(' ')
                        .append(attributes.lastModifiedTime().toMillis());
            } catch (IOException e) {
                // absent: the class loader skips it, and so does the search; its key says so
                key.append(" absent");
            }
            key.append('\n');
        }
        return key.toString();
    }

    /** The jars that hold {@code serviceFile}, or null if one names other jars or cannot be read. */
    private static List<Path> search(String serviceFile, List<Path> classPath) {
        List<Path> holding = new ArrayList<>();
        for (Path entry : classPath) {
            if (!Files.exists(entry)) {
                continue;
            }
            try (JarFile jar = new JarFile(entry.toFile())) {
                Manifest manifest = jar.getManifest();
                if (manifest != null && manifest.getMainAttributes().containsKey(Attributes.Name.CLASS_PATH)
                        || namesOtherJars(jar, entry.getFileName().toString())) {
                    return null;
                }
                if (jar.getEntry(serviceFile) != null) {
                    holding.add(entry);
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return holding;
    }

    /**
     * Whether the jar's index ({@code META-INF/INDEX.LIST}, which a JDK may follow) names jars other
     * than itself: each of its sections, after the header, begins with a jar's name. Maven writes one
     * that names only the jar (Netty's and Vert.x's jars have it).
     */
    private static boolean namesOtherJars(JarFile jar, String name) throws IOException {
        JarEntry index = jar.getJarEntry("META-INF/INDEX.LIST");
        if (index == null) {
            return false;
        }
        String text;
        try (InputStream in = jar.getInputStream(index)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] sections = text.replace("\r\n", "\n").split("\n\n+");
        for (int i = 1; i < sections.length; i++) {
            String first = sections[i].strip().split("\n", 2)[0].strip();
            if (!first.isEmpty() && !first.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> read(Path entry, String key) {
        Properties properties = CacheFiles.read(entry, key);
        if (properties == null) {
            return null;
        }
        String jars = properties.getProperty(JARS);
        if (jars == null) {
            return null;
        }
        List<Path> paths = new ArrayList<>();
        for (String jar : jars.split("\n")) {
            if (!jar.isEmpty()) {
                paths.add(Path.of(jar));
            }
        }
        return paths;
    }

    private static void write(Path entry, String key, List<Path> jars) {
        Properties properties = new Properties();
        StringBuilder names = new StringBuilder();
        jars.forEach(jar -> names.append(jar).append('\n'));
        properties.setProperty(JARS, names.toString());
        CacheFiles.write(entry, key, properties, null);
    }
}
