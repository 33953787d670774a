package dev.jawait.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import dev.jawait.Python;
import dev.jawait.testing.ChildJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * jawait's core as a named module ({@code dev.jawait.core} on the module path, JNA beside it) serves
 * class-path code as it does on the class path, and keeps its internals to itself. (Class-path use
 * is what every other test does.)
 */
class ModulePathTest {
    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }

    @Test
    void theCoreRunsAsANamedModuleAndExportsNoInternals() throws Exception {
        String modulePath = location(Python.class) + File.pathSeparator + location(Native.class);
        ChildJvm.Result result = ChildJvm.run(
                ModulePathChildren.Use.class,
                Map.of(),
                List.of(
                        "--module-path",
                        modulePath,
                        "--add-modules",
                        "dev.jawait.core",
                        "--enable-native-access=dev.jawait.core,com.sun.jna"));
        assertEquals(0, result.exitCode(), result.output());
        String out = result.stdout();
        assertTrue(out.contains("core module: dev.jawait.core"), result.output());
        assertTrue(out.contains("internal exported: false"), result.output());
        assertTrue(out.contains("diagnostics exported to everyone: false"), result.output());
        assertTrue(out.contains("Python calls Java: 42"), result.output());
        assertTrue(out.contains("jawait's Python: jawait"), result.output());
        assertTrue(out.contains("closed"), result.output());
        assertEquals("", result.stderr(), result.output());
    }
}
