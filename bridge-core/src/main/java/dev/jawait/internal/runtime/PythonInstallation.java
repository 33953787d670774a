package dev.jawait.internal.runtime;

import java.nio.file.Path;

/**
 * What a Python executable said about itself: enough to load its libpython and start an interpreter
 * that sees the same standard library and site-packages (a venv's included). {@code debugBuild}:
 * built with Py_DEBUG, whose reference counting keeps a total that only its functions update.
 * {@code freeThreaded}: built with {@code --disable-gil} (PEP 703, 3.13t), whose object header differs.
 */
public record PythonInstallation(
        Path executable,
        int major,
        int minor,
        int micro,
        Path libpython,
        String prefix,
        String basePrefix,
        boolean debugBuild,
        boolean freeThreaded) {

    public String version() {
        return major + "." + minor + "." + micro;
    }
}
