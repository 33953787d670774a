package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the benchmarks' Python halves, shipped as resources of this jar, as modules. */
final class PythonSources {
    private PythonSources() {}

    /** Executes {@code resource} as module {@code name} (registered in sys.modules) and returns it. */
    static PyObject load(Python python, String resource, String name) {
        String source;
        try (InputStream in = PythonSources.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the bench jar");
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return python.attach(py -> {
            try (PyObject types = py.importModule("types");
                    PyObject sys = py.importModule("sys");
                    PyObject modules = sys.getAttr("modules");
                    PyObject builtins = py.importModule("builtins");
                    PyObject compile = builtins.getAttr("compile");
                    PyObject exec = builtins.getAttr("exec")) {
                PyObject module = types.callMethod("ModuleType", name);
                modules.setItem(name, module);
                try (PyObject code = compile.call(source, resource, "exec");
                        PyObject namespace = module.getAttr("__dict__")) {
                    exec.call(code, namespace).close();
                }
                return module;
            }
        });
    }
}
