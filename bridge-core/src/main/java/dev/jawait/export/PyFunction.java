package dev.jawait.export;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exports a method of a {@link PyModule} class as a Python function. Static and instance methods
 * both work; parameters are converted from Python by their declared (generic) types, the result
 * back to Python by its runtime type. A parameter of type {@link dev.jawait.Py} receives the GIL
 * token and is not visible from Python.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PyFunction {
    /** The Python name; the method's name by default. */
    String name() default "";

    /** The docstring. */
    String doc() default "";

    /**
     * Runs the method with the GIL released, so that other Python threads run meanwhile. The method
     * must then not touch Python objects except inside {@code Python.attach}.
     */
    boolean releaseGil() default false;
}
