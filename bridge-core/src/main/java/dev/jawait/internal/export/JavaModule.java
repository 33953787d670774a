package dev.jawait.internal.export;

import dev.jawait.export.FunctionDefinition;
import java.util.List;

/**
 * A Java-defined module as internal code holds it: what a {@code ModuleDefinition} defines, with
 * nothing of the public builder (which {@code ExportAccess} turns into this).
 */
public record JavaModule(String name, String doc, List<FunctionDefinition> functions) {
    public JavaModule {
        functions = List.copyOf(functions);
    }
}
