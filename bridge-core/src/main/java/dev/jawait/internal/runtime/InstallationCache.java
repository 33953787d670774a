package dev.jawait.internal.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What Python executables said about themselves, kept between runs: asking one means starting it
 * (tens of milliseconds, or hundreds behind a wrapper script), on every start of jawait.
 *
 * <p>An answer is kept under {@code $XDG_CACHE_HOME/jawait/pythons} (else {@code ~/.cache/...}) for an
 * executable that is a binary, keyed by what it depends on: the path as given (a venv's python is a
 * link whose location makes the venv), the binary it leads to with its size and modification time,
 * the venv's {@code pyvenv.cfg}, and {@code PYTHONHOME}. A wrapper script (a pyenv shim, say) is
 * asked every time, since which Python it starts can depend on anything. Failing to read or write
 * the cache only means asking the executable.
 */
final class InstallationCache {
    private InstallationCache() {}

    /** Changes whenever what is kept changes, so that old entries are not read. */
    private static final String FORMAT = "1";

    /** The kept answer for {@code executable}, or null. */
    static Map<String, String> read(Path executable) {
        String key = key(executable);
        Path entry = entry(key);
        Properties properties = CacheFiles.read(entry, key);
        if (properties == null) {
            return null;
        }
        Map<String, String> facts = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> facts.put(name, properties.getProperty(name)));
        String reported = facts.get("executable");
        return reported != null && Files.exists(Path.of(reported)) ? facts : null;
    }

    /** Keeps {@code facts} for {@code executable}, if it is a binary and the cache is writable. */
    static void write(Path executable, Map<String, String> facts) {
        String key = key(executable);
        Path entry = entry(key);
        if (entry == null || facts.get("version") == null) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(facts);
        CacheFiles.write(entry, key, properties, executable.toString());
    }

    /** What an answer for {@code executable} depends on, or null if it is not a binary or cannot be keyed. */
    private static String key(Path executable) {
        try {
            Path absolute = executable.toAbsolutePath().normalize();
            Path binary = absolute.toRealPath();
            if (!isBinary(binary)) {
                return null;
            }
            StringBuilder key =
                    new StringBuilder(FORMAT).append('\n').append(absolute).append('\n');
            describe(key, binary);
            Path bin = absolute.getParent();
            for (Path config : new Path[] {bin.resolve("pyvenv.cfg"), bin.resolveSibling("pyvenv.cfg")}) {
                describe(key, config);
            }
            return key.append("PYTHONHOME=").append(System.getenv("PYTHONHOME")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The cache file for {@code key}, or null. */
    private static Path entry(String key) {
        if (key == null) {
            return null;
        }
        try {
            return CacheFiles.entry(CacheFiles.directory("pythons"), key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void describe(StringBuilder key, Path file) throws IOException {
        key.append(file);
        if (Files.exists(file)) {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            key.append(' ')
                    .append(attributes.size())
                    .append(' ')
                    .append(attributes.lastModifiedTime().toMillis());
        }
        key.append('\n');
    }

    private static boolean isBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }
}
