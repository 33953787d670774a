package dev.jawait.internal.export;

import dev.jawait.internal.runtime.CacheFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The marshalled code of jawait's own Python modules, kept between runs as Python keeps
 * {@code __pycache__}: compiling them from source cost every start several milliseconds.
 *
 * <p>An entry lives in {@link CacheFiles}' {@code pycode} directory, one file per Python and resource. It holds what it was compiled from, the Python (its version string and
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
        Path entry = entry(directory, python, resource);
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
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        CacheFiles.write(entry(directory, python, resource), bytes);
    }

    static Path directory() {
        return CacheFiles.directory("pycode");
    }

    /** The entry's file: named by a hash of the Python and the resource (the entry itself tells collisions apart). */
    private static Path entry(Path directory, String python, String resource) {
        return CacheFiles.entry(directory, python + '\n' + resource, ".code");
    }
}
