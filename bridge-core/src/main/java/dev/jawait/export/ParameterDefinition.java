package dev.jawait.export;

import java.lang.reflect.Type;
import java.util.Optional;

/**
 * One parameter of an exported function.
 *
 * @param name the Python name
 * @param type the Java type that Python arguments are converted to
 * @param keywordOnly whether Python may pass it by keyword only
 * @param defaultValue the default as a Java value, if any (already converted)
 * @param defaultLiteral the default as a Python literal, if given that way (annotations)
 * @param injected a parameter filled in by jawait ({@link dev.jawait.Py}), not visible from Python
 */
public record ParameterDefinition(
        String name,
        Type type,
        boolean keywordOnly,
        Optional<Object> defaultValue,
        Optional<String> defaultLiteral,
        boolean injected) {

    public boolean hasDefault() {
        return defaultValue.isPresent() || defaultLiteral.isPresent();
    }
}
