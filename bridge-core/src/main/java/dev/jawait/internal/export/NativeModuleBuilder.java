package dev.jawait.internal.export;

import java.lang.reflect.Type;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds a module of jawait's own native functions ({@code _jawait}) the way the public
 * {@code ModuleDefinition} builder builds users' modules, which it adapts ({@code Bridge.Export});
 * internal code names this rather than the public builder, whose types depend on internal ones.
 */
public interface NativeModuleBuilder {
    NativeModuleBuilder doc(String doc);

    NativeModuleBuilder function(String name, Consumer<FunctionSpec> spec);

    JavaModule build();

    /** One function: its parameters, doc and body, as {@code ModuleDefinition.FunctionBuilder} takes them. */
    interface FunctionSpec {
        FunctionSpec param(String name, Type type);

        FunctionSpec doc(String doc);

        FunctionSpec body(Function<Args, ?> body);
    }

    /** A call's converted arguments, by name, as {@code Arguments} gives them. */
    interface Args {
        Object get(String name);

        int getInt(String name);

        boolean getBoolean(String name);

        String getString(String name);

        /** Runs {@code body} with the GIL released, as {@code py.detach} does. */
        void detach(Runnable body);
    }
}
