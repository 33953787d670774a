package dev.jawait.export;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link PyFunction} methods form an importable Python module.
 *
 * <pre>{@code
 * @PyModule("inventory")
 * public class Inventory implements ModuleProvider {
 *     @PyFunction(doc = "Adds two counts.")
 *     public long add(long a, @PyParam(defaultValue = "1") long b) {
 *         return a + b;
 *     }
 * }
 * // Python: import inventory; inventory.add(2, 3) == 5; inventory.add(2) == 3
 * }</pre>
 *
 * Register an instance with {@link dev.jawait.Python#register(Object)}, with the builder, or by
 * listing the class in {@code META-INF/services/dev.jawait.export.ModuleProvider}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PyModule {
    /** The module's import name, possibly dotted ({@code "shop.inventory"}). */
    String value();

    /** The module's docstring. */
    String doc() default "";
}
