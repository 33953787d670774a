package dev.jawait.testing;

import dev.jawait.Python;

/**
 * The interpreter shared by every test class of a test JVM (one interpreter per JVM). The Python
 * comes from the {@code jawait.python} system property that the build passes to Surefire.
 */
public final class TestPython {
    private TestPython() {}

    public static synchronized Python get() {
        return Python.current().orElseGet(Python::get);
    }
}
