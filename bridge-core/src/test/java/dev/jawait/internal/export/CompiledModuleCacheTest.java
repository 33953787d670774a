package dev.jawait.internal.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept code is read back only for the same Python and the same source, and a bad entry is not read. */
class CompiledModuleCacheTest {
    private static final String PYTHON = "3.13.5 (main) [GCC 14.2.0] f30d0d0a";
    private static final String RESOURCE = "jawait/_signals.py";
    private static final byte[] SOURCE = "x = 1\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CODE = {(byte) 0xe3, 0, 1, 2, 3};

    @TempDir
    Path directory;

    @Test
    void keptCodeIsReadBackForTheSamePythonAndSource() {
        assertNull(CompiledModuleCache.read(directory, PYTHON, RESOURCE, SOURCE), "nothing kept yet");
        CompiledModuleCache.write(directory, PYTHON, RESOURCE, SOURCE, CODE);
        assertArrayEquals(CODE, CompiledModuleCache.read(directory, PYTHON, RESOURCE, SOURCE));
    }

    @Test
    void anotherPythonOrSourceOrResourceReadsNothing() {
        CompiledModuleCache.write(directory, PYTHON, RESOURCE, SOURCE, CODE);
        assertNull(CompiledModuleCache.read(directory, "3.13.5 free-threading " + PYTHON, RESOURCE, SOURCE));
        assertNull(CompiledModuleCache.read(directory, PYTHON, RESOURCE, "x = 2\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(CompiledModuleCache.read(directory, PYTHON, "jawait/_startup.py", SOURCE));
    }

    @Test
    void aCutShortOrGarbledEntryIsNotReadAndIsWrittenAnew() throws IOException {
        CompiledModuleCache.write(directory, PYTHON, RESOURCE, SOURCE, CODE);
        Path entry = entries().get(0);
        byte[] whole = Files.readAllBytes(entry);
        Files.write(entry, Arrays.copyOf(whole, whole.length - 2));
        assertNull(CompiledModuleCache.read(directory, PYTHON, RESOURCE, SOURCE), "cut short");
        Files.write(entry, new byte[] {1, 2, 3});
        assertNull(CompiledModuleCache.read(directory, PYTHON, RESOURCE, SOURCE), "garbled");

        CompiledModuleCache.write(directory, PYTHON, RESOURCE, SOURCE, CODE);
        assertArrayEquals(CODE, CompiledModuleCache.read(directory, PYTHON, RESOURCE, SOURCE));
        assertArrayEquals(new Object[] {entry}, entries().toArray(), "no temporary file is left behind");
    }

    @Test
    void aDirectoryThatCannotBeMadeOnlyMeansNothingIsKept() throws IOException {
        Path file = Files.writeString(directory.resolve("file"), "");
        CompiledModuleCache.write(file.resolve("pycode"), PYTHON, RESOURCE, SOURCE, CODE);
        assertNull(CompiledModuleCache.read(file.resolve("pycode"), PYTHON, RESOURCE, SOURCE));
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
