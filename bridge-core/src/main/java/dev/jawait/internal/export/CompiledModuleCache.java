package dev.jawait.internal.export;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The marshalled code of jawait's own Python modules, kept between runs as Python keeps
 * {@code __pycache__}: compiling them from source cost every start several milliseconds.
 *
 * <p>An entry lives under {@code $XDG_CACHE_HOME/jawait/pycode} (else {@code ~/.cache/...}), one file
 * per Python and resource. It holds what it was compiled from, the Python (its version string and
 * bytecode magic number, as the import hook gives it) and the whole source, and is used only when
 * both are equal, so a changed jar or another Python never reads stale code. Failing to read or
 * write an entry only means compiling.
 */
final class CompiledModuleCache {
    private CompiledModuleCache() {}

    /** Changes whenever what is kept changes, so that old entries are not read. */
    private static final String FORMAT = "jawait-pycode 1";

    /** The code kept for {@code resource} compiled from {@code source} by {@code python}, or null. */
    static byte[] read(Path directory, String python, String resource, byte[] source) {
        Path entry = directory.resolve(name(python, resource));
        try (DataInputStream in = new DataInputStream(Files.newInputStream(entry))) {
            if (!in.readUTF().equals(FORMAT)
                    || !in.readUTF().equals(python)
                    || !in.readUTF().equals(resource)
                    || !Arrays.equals(in.readNBytes(in.readInt()), source)) {
                return null;
            }
            int length = in.readInt();
            byte[] code = in.readNBytes(length);
            return code.length == length && in.read() == -1 ? code : null;
        } catch (IOException | RuntimeException e) {
            return null; // absent, unreadable or cut short: compiled again, and written anew
        }
    }

    /** Keeps {@code code}, written whole under another name and then moved, so no reader sees part of it. */
    static void write(Path directory, String python, String resource, byte[] source, byte[] code) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(source.length + code.length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(FORMAT);
            out.writeUTF(python);
            out.writeUTF(resource);
            out.writeInt(source.length);
            out.write(source);
            out.writeInt(code.length);
            out.write(code);
        } catch (IOException e) {
            throw new AssertionError(e); // a ByteArrayOutputStream does not fail
        }
        Path entry = directory.resolve(name(python, resource));
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, entry.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    bytes.writeTo(out);
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
            // not kept: the next start compiles again
        }
    }

    static Path directory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jawait").resolve("pycode");
    }

    /** The entry's file name: a hash of the Python and the resource (the entry itself tells collisions apart). */
    private static String name(String python, String resource) {
        byte[] key = (python + '\n' + resource).getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(key);
        return Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(Arrays.hashCode(key)) + ".code";
    }
}
