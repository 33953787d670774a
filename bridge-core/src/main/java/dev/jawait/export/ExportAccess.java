package dev.jawait.export;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.export.JavaModule;
import dev.jawait.internal.export.NativeModuleBuilder;
import dev.jawait.internal.export.ServiceFileIndex;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * This package's side of the {@link Bridge}: running a function's Java body, the cancellations that
 * only jawait makes, and the Java modules that internal code holds as {@link JavaModule}s. Installed once, when the Bridge is first read.
 */
final class ExportAccess implements Bridge.Export {
    static {
        Bridge.install(new ExportAccess());
    }

    private ExportAccess() {}

    @Override
    public Object invoke(FunctionDefinition function, Object[] arguments) throws Throwable {
        return FunctionDefinition.invoke(function, arguments);
    }

    @Override
    public Cancellation create() {
        return new Cancellation();
    }

    @Override
    public void cancel(Cancellation cancellation) {
        cancellation.cancel();
    }

    @Override
    public List<JavaModule> modulesOf(Object module) {
        List<JavaModule> modules = new ArrayList<>();
        for (ModuleDefinition definition : definitionsOf(module)) {
            modules.add(javaModule(definition));
        }
        return modules;
    }

    private static List<ModuleDefinition> definitionsOf(Object module) {
        if (module instanceof ModuleProvider provider) {
            return provider.modules();
        }
        if (module instanceof Class<?> type
                && ModuleProvider.class.isAssignableFrom(type)
                && !type.isAnnotationPresent(PyModule.class)) {
            try {
                return ((ModuleProvider) type.getConstructor().newInstance()).modules();
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor", e);
            }
        }
        return List.of(ModuleDefinition.of(module));
    }

    @Override
    public List<JavaModule> discovered() {
        List<JavaModule> found = new ArrayList<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = ServiceFileIndex.loaderFor(
                "META-INF/services/" + ModuleProvider.class.getName(),
                context != null ? context : ClassLoader.getSystemClassLoader());
        Iterator<ModuleProvider> providers =
                ServiceLoader.load(ModuleProvider.class, loader).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                found.addAll(modulesOf(providers.next()));
            } catch (ServiceConfigurationError | LinkageError e) { // such as a jar it needs missing
                // logged under the facade's name, where users look for start-up messages
                System.getLogger("dev.jawait.Python")
                        .log(Level.WARNING, "skipping a Java module provider that failed to load", e);
            }
        }
        return found;
    }

    @Override
    public NativeModuleBuilder nativeModule(String name) {
        return new NativeModules(name);
    }

    @Override
    public ModuleDefinition definition(JavaModule module) {
        return new ModuleDefinition(module.name(), module.doc(), module.functions());
    }

    static JavaModule javaModule(ModuleDefinition definition) {
        return new JavaModule(definition.name(), definition.doc(), definition.functions());
    }
}
