package dev.jawait.export;

import java.util.List;

/**
 * Contributes Java-defined Python modules, found with {@link java.util.ServiceLoader} when Python
 * starts (list implementations in {@code META-INF/services/dev.jawait.export.ModuleProvider}).
 *
 * <p>A {@link PyModule}-annotated class can implement this interface with no methods: the default
 * exports the class itself. Implementations need a public no-argument constructor.
 */
public interface ModuleProvider {
    default List<ModuleDefinition> modules() {
        return List.of(ModuleDefinition.of(this));
    }
}
