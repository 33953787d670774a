package dev.jawait.export;

import dev.jawait.internal.export.JavaModule;
import dev.jawait.internal.export.NativeModuleBuilder;
import java.lang.reflect.Type;
import java.util.function.Consumer;
import java.util.function.Function;

/** jawait's own native functions, built with the public builder behind the internal interface. */
final class NativeModules implements NativeModuleBuilder {
    private final ModuleDefinition.Builder module;

    NativeModules(String name) {
        this.module = ModuleDefinition.builder(name);
    }

    @Override
    public NativeModuleBuilder doc(String doc) {
        module.doc(doc);
        return this;
    }

    @Override
    public NativeModuleBuilder function(String name, Consumer<FunctionSpec> spec) {
        module.function(name, f -> spec.accept(new Spec(f)));
        return this;
    }

    @Override
    public JavaModule build() {
        return ExportAccess.javaModule(module.build());
    }

    private record Spec(ModuleDefinition.FunctionBuilder function) implements FunctionSpec {
        @Override
        public FunctionSpec param(String name, Type type) {
            function.param(name, type);
            return this;
        }

        @Override
        public FunctionSpec doc(String doc) {
            function.doc(doc);
            return this;
        }

        @Override
        public FunctionSpec body(Function<NativeModuleBuilder.Args, ?> body) {
            function.body(arguments -> body.apply(new Args(arguments)));
            return this;
        }
    }

    private record Args(Arguments arguments) implements NativeModuleBuilder.Args {
        @Override
        public Object get(String name) {
            return arguments.get(name);
        }

        @Override
        public int getInt(String name) {
            return arguments.getInt(name);
        }

        @Override
        public boolean getBoolean(String name) {
            return arguments.getBoolean(name);
        }

        @Override
        public String getString(String name) {
            return arguments.getString(name);
        }

        @Override
        public void detach(Runnable body) {
            arguments.py().detach(body);
        }
    }
}
