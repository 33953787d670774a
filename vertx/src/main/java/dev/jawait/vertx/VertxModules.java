package dev.jawait.vertx;

import dev.jawait.export.ModuleDefinition;
import dev.jawait.export.ModuleProvider;
import dev.jawait.vertx.internal.EventBusModule;
import java.util.List;

/**
 * The Java-defined modules behind the Python package {@code jawait.vertx}. Python finds them by
 * itself when it starts with module discovery (the default); register them when it does not:
 * <pre>{@code
 * Python python = Python.builder().discoverModules(false).module(new VertxModules()).start();
 * }</pre>
 * A {@link PythonVerticle} registers them too.
 */
public final class VertxModules implements ModuleProvider {
    @Override
    public List<ModuleDefinition> modules() {
        return List.of(EventBusModule.MODULE);
    }
}
