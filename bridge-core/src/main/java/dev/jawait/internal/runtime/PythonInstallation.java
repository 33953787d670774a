package dev.jawait.internal.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * What a Python executable said about itself: enough to load its libpython and start an interpreter
 * that sees the same standard library and site-packages (a venv's included). {@code debugBuild}:
 * built with Py_DEBUG, whose reference counting keeps a total that only its functions update.
 */
public record PythonInstallation(
        Path executable,
        int major,
        int minor,
        int micro,
        Path libpython,
        String prefix,
        String basePrefix,
        List<String> sysPath,
        boolean debugBuild) {

    public String version() {
        return major + "." + minor + "." + micro;
    }

    public boolean isVenv() {
        return !prefix.equals(basePrefix);
    }
}
