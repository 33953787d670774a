package dev.jawait.internal.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * The files in which jawait keeps answers between runs (what a Python said about itself, which jars
 * hold a service file, jawait's compiled Python modules): under {@code $XDG_CACHE_HOME/jawait/KIND} (else {@code ~/.cache/...}), one
 * file per key (most of them properties files), named by a hash of it and holding the whole key, written atomically.
 * Failing to read or write one only means working the answer out again.
 */
public final class CacheFiles {
    private CacheFiles() {}

    /** The property that holds an entry's whole key, checked when it is read. */
    private static final String KEY = "jawait.key";

    /** The cache directory of {@code kind}: {@code $XDG_CACHE_HOME/jawait/KIND}, else under {@code ~/.cache}. */
    public static Path directory(String kind) {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jawait").resolve(kind);
    }

    /** The file for {@code key} in {@code directory}, named by a hash of it (the key inside tells collisions apart). */
    public static Path entry(Path directory, String key) {
        return entry(directory, key, ".properties");
    }

    /** The file for {@code key} in {@code directory} whose name ends in {@code suffix}. */
    public static Path entry(Path directory, String key, String suffix) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return directory.resolve(Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(key.hashCode()) + suffix);
    }

    /** What {@code entry} keeps for {@code key} (the key itself left out), or null. */
    public static Properties read(Path entry, String key) {
        if (entry == null || !Files.isRegularFile(entry)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(entry)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return key.equals(properties.remove(KEY)) ? properties : null;
    }

    /** Keeps {@code properties} for {@code key} in {@code entry}, replacing it whole or not at all. */
    public static void write(Path entry, String key, Properties properties, String comment) {
        Properties kept = new Properties();
        kept.putAll(properties);
        kept.setProperty(KEY, key);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            kept.store(bytes, comment);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        write(entry, bytes);
    }

    /**
     * Writes {@code content} to {@code entry} under another name first and then moves it, so that
     * no reader sees part of it; a failure leaves the old entry, or none, and no temporary file.
     */
    public static void write(Path entry, ByteArrayOutputStream content) {
        try {
            Files.createDirectories(entry.getParent());
            Path temporary =
                    Files.createTempFile(entry.getParent(), entry.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    content.writeTo(out);
                }
                try {
                    Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | RuntimeException e) {
            // not kept: the answer is worked out again next time
        }
    }
}
