package dev.jawait.export;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a parameter of a {@link PyFunction} and gives it a default. Without it, the name is the
 * Java parameter name (compile with {@code -parameters}) and the parameter is required.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PyParam {
    /** Marks "no default value". */
    String REQUIRED = "\u0000jawait:required";

    /** The Python parameter name. */
    String name() default "";

    /**
     * The default, as a Python literal ({@code "0"}, {@code "'text'"}, {@code "None"},
     * {@code "[1, 2]"}), evaluated once with {@code ast.literal_eval} and converted to the parameter's type.
     */
    String defaultValue() default REQUIRED;

    /** Accept this parameter only by keyword, like parameters after {@code *} in Python. */
    boolean keywordOnly() default false;
}
