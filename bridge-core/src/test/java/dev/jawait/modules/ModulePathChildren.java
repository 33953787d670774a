package dev.jawait.modules;

import dev.jawait.Python;
import dev.jawait.export.ModuleDefinition;

/** Main programs run in child JVMs by {@link ModulePathTest}. */
final class ModulePathChildren {
    private ModulePathChildren() {}

    /** Uses jawait from the class path while jawait's core is a named module: prints what the test checks. */
    static final class Use {
        public static void main(String[] args) {
            Module core = Python.class.getModule();
            System.out.println("core module: " + core.getName());
            System.out.println("internal exported: " + core.isExported("dev.jawait.internal.runtime"));
            System.out.println("diagnostics exported to everyone: " + core.isExported("dev.jawait.diagnostics"));
            try (Python python = Python.builder().start()) {
                python.register(ModuleDefinition.builder("modpath")
                        .function("twice", f -> f.param("n", long.class).body(a -> 2 * a.getLong("n")))
                        .build());
                System.out.println("Python calls Java: "
                        + python.attach(
                                py -> py.eval("__import__('modpath').twice(21)").asLong()));
                System.out.println("jawait's Python: "
                        + python.attach(
                                py -> py.eval("__import__('jawait').__name__").toJava()));
            }
            System.out.println("closed");
        }
    }
}
