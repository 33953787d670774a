package dev.jawait.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries are replaced whole or not at all, read back only for their own key, and a failed write leaves nothing behind. */
class CacheFilesTest {
    @TempDir
    Path directory;

    @Test
    void anEntryIsReadBackForItsOwnKeyOnly() {
        Path entry = CacheFiles.entry(directory, "key one");
        Properties answer = new Properties();
        answer.setProperty("version", "3.13.5");
        CacheFiles.write(entry, "key one", answer, "a comment");
        assertEquals(answer, CacheFiles.read(entry, "key one"));
        assertNull(CacheFiles.read(entry, "key two"), "another key written to the same file is not read");
    }

    @Test
    void entriesOfOtherSuffixesAreOtherFiles() {
        Path properties = CacheFiles.entry(directory, "key");
        Path code = CacheFiles.entry(directory, "key", ".code");
        assertNotEquals(properties, code);
        assertTrue(properties.getFileName().toString().endsWith(".properties"));
        assertTrue(code.getFileName().toString().endsWith(".code"));
        assertEquals(
                properties.getFileName().toString().replace(".properties", ""),
                code.getFileName().toString().replace(".code", ""),
                "the same hash of the key");
    }

    @Test
    void bytesReplaceAnEntryWhole() throws IOException {
        Path entry = CacheFiles.entry(directory, "key", ".code");
        CacheFiles.write(entry, bytes("first"));
        CacheFiles.write(entry, bytes("second"));
        assertEquals("second", Files.readString(entry));
        assertEquals(List.of(entry), files(), "no temporary file is left behind");
    }

    @Test
    void aWriteThatCannotBeMovedIntoPlaceLeavesNoTemporaryFile() throws IOException {
        Path entry = CacheFiles.entry(directory, "key", ".code");
        Files.createDirectory(entry);
        Files.writeString(entry.resolve("inside"), ""); // a non-empty directory cannot be replaced by a file
        CacheFiles.write(entry, bytes("code"));
        assertTrue(Files.isDirectory(entry));
        assertEquals(List.of(entry), files(), "only what was there before");
    }

    @Test
    void aDirectoryThatCannotBeMadeOnlyMeansNothingIsKept() throws IOException {
        Path file = Files.writeString(directory.resolve("file"), "");
        Path entry = CacheFiles.entry(file.resolve("kind"), "key", ".code");
        CacheFiles.write(entry, bytes("code"));
        CacheFiles.write(entry, "key", new Properties(), null);
        assertNull(CacheFiles.read(entry, "key"));
    }

    private static ByteArrayOutputStream bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
