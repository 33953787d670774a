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
 *
 * <p>Python objects that arrive as {@link dev.jawait.PyObject} (a {@code PyObject} parameter, or
 * inside a converted {@code List} or {@code Map}) are borrowed for the duration of the call: jawait
 * closes them when the method returns. Keep one beyond the call with
 * {@link dev.jawait.PyObject#newReference()}. A returned {@code PyObject} is handed to Python and
 * closed too. A Python callable converted to a functional interface stays usable after the call.
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
     * must then not touch Python objects except inside {@code Python.attach}. Release it whenever
     * the method blocks: a method that waits for another thread which needs the GIL, while holding
     * it, waits forever.
     */
    boolean releaseGil() default false;
}
