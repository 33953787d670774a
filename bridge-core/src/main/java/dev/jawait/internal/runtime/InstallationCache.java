package dev.jawait.internal.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.CRC32;

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

    /** The property that holds an entry's whole key, checked when it is read. */
    private static final String KEY = "jawait.key";

    /** The kept answer for {@code executable}, or null. */
    static Map<String, String> read(Path executable) {
        String key = key(executable);
        Path entry = entry(key);
        if (entry == null || !Files.isRegularFile(entry)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(entry)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (!key.equals(properties.remove(KEY))) {
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
        properties.setProperty(KEY, key);
        try {
            Files.createDirectories(entry.getParent());
            Path temporary =
                    Files.createTempFile(entry.getParent(), entry.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, executable.toString());
            }
            try {
                Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | SecurityException e) {
            // not kept: the next start asks the executable again
        }
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

    /** The cache file for {@code key}, named by a hash of it (the key inside tells collisions apart). */
    private static Path entry(String key) {
        if (key == null) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        String name = Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(key.hashCode());
        try {
            return cacheDirectory().resolve(name + ".properties");
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

    private static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jawait").resolve("pythons");
    }
}
