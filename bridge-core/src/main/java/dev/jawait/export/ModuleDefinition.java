package dev.jawait.export;

import dev.jawait.Py;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Java-defined Python module: a name, a docstring and functions. Importable once registered
 * with {@link dev.jawait.Python}.
 *
 * <p>From an annotated class ({@link PyModule}, {@link PyFunction}):
 * <pre>{@code python.register(new Inventory());}</pre>
 * or built in code:
 * <pre>{@code
 * ModuleDefinition inventory = ModuleDefinition.builder("inventory")
 *         .doc("Stock levels.")
 *         .function("add", f -> f
 *                 .param("a", long.class)
 *                 .param("b", long.class, 1L)
 *                 .doc("Adds two counts.")
 *                 .body(args -> args.getLong("a") + args.getLong("b")))
 *         .build();
 * }</pre>
 */
public final class ModuleDefinition {
    private final String name;
    private final String doc;
    private final List<FunctionDefinition> functions;

    ModuleDefinition(String name, String doc, List<FunctionDefinition> functions) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid Python module name");
        }
        this.name = name;
        this.doc = doc;
        this.functions = List.copyOf(functions);
        List<String> seen = new ArrayList<>();
        for (FunctionDefinition f : functions) {
            if (seen.contains(f.name())) {
                throw new IllegalArgumentException("module '" + name + "' defines '" + f.name() + "' twice");
            }
            seen.add(f.name());
        }
    }

    public String name() {
        return name;
    }

    public String doc() {
        return doc;
    }

    public List<FunctionDefinition> functions() {
        return functions;
    }

    /**
     * This module with the bodies of its async and stream functions run on {@code executor}
     * instead of on the Python thread that awaits them; sync functions still run on the calling
     * thread. The Python side does not change: the coroutine (or async generator) hands the
     * converted arguments to {@code executor} when first awaited, and completes with the future
     * (or streams the stream) that the body returns; cancelling it before the body ran means the
     * body never runs.
     *
     * <p>Give Vert.x modules their Vert.x context: Vert.x code that sets a handler after an
     * asynchronous step ({@code send()}, then {@code response.body()}) must run on one, or the
     * response can arrive before its handler and be lost.
     * <pre>{@code
     * Context context = vertx.getOrCreateContext();
     * python.register(ModuleDefinition.of(new Shop(vertx)).runningOn(task -> context.runOnContext(v -> task.run())));
     * }</pre>
     * {@code executor.execute} is called with the GIL held, so it must hand the task over, not run
     * it or block. The bodies run without the GIL: they use Python objects only inside
     * {@code Python.attach}, and may not declare a {@code Py} parameter ({@link Arguments#py()} is
     * null for builder-made functions).
     *
     * @throws IllegalArgumentException if an async or stream function declares a {@code Py} parameter
     */
    public ModuleDefinition runningOn(Executor executor) {
        return new ModuleDefinition(
                name, doc, functions.stream().map(f -> f.runningOn(executor)).toList());
    }

    /**
     * The module defined by a {@link PyModule}-annotated object's {@link PyFunction} methods (a
     * {@code ModuleDefinition} is returned as is; a {@code Class} is handled by {@link #of(Class)}).
     */
    public static ModuleDefinition of(Object module) {
        if (module instanceof ModuleDefinition definition) {
            return definition;
        }
        if (module instanceof Class<?> type) {
            return of(type);
        }
        return fromAnnotations(module.getClass(), module);
    }

    /**
     * The module defined by a {@link PyModule}-annotated class: its static {@link PyFunction}
     * methods, and its instance ones on an instance made with the public no-argument constructor.
     */
    public static ModuleDefinition of(Class<?> type) {
        boolean needsInstance = Arrays.stream(type.getDeclaredMethods())
                .anyMatch(m -> m.isAnnotationPresent(PyFunction.class) && !Modifier.isStatic(m.getModifiers()));
        Object instance = null;
        if (needsInstance) {
            try {
                instance = type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(
                        type.getName() + " has instance @PyFunction methods but no public "
                                + "no-argument constructor; register an instance instead",
                        e);
            }
        }
        return fromAnnotations(type, instance);
    }

    private static ModuleDefinition fromAnnotations(Class<?> type, Object instance) {
        PyModule module = type.getAnnotation(PyModule.class);
        if (module == null) {
            throw new IllegalArgumentException(type.getName() + " is not annotated with @PyModule");
        }
        List<FunctionDefinition> functions = new ArrayList<>();
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName)); // stable order across JVMs
        for (Method method : methods) {
            PyFunction annotation = method.getAnnotation(PyFunction.class);
            if (annotation != null) {
                functions.add(fromMethod(method, annotation, instance));
            }
        }
        return new ModuleDefinition(module.value(), module.doc(), functions);
    }

    private static FunctionDefinition fromMethod(Method method, PyFunction annotation, Object instance) {
        String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
        List<ParameterDefinition> parameters = new ArrayList<>();
        for (Parameter p : method.getParameters()) {
            PyParam param = p.getAnnotation(PyParam.class);
            String parameterName = param != null && !param.name().isEmpty() ? param.name() : p.getName();
            boolean injected = p.getType() == Py.class || p.getType() == Cancellation.class;
            Optional<String> literal = param == null || param.defaultValue().equals(PyParam.REQUIRED)
                    ? Optional.empty()
                    : Optional.of(param.defaultValue());
            parameters.add(new ParameterDefinition(
                    parameterName,
                    p.getParameterizedType(),
                    param != null && param.keywordOnly(),
                    Optional.empty(),
                    literal,
                    injected));
        }
        MethodHandle handle;
        try {
            method.setAccessible(true);
            handle = MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("cannot access " + method + ": " + e.getMessage(), e);
        }
        FunctionDefinition.Invoker invoker = new SpreadingInvoker(
                handle, Modifier.isStatic(method.getModifiers()) ? null : instance, method.getParameterCount());
        FunctionDefinition.Kind kind = FunctionDefinition.kindOf(method.getGenericReturnType());
        boolean needsToken = Arrays.asList(method.getParameterTypes()).contains(Py.class);
        return new FunctionDefinition(
                name,
                annotation.doc(),
                parameters,
                method.getGenericReturnType(),
                kind,
                annotation.releaseGil(),
                annotation.backend(),
                annotation.prefetch(),
                invoker,
                needsToken,
                null);
    }

    /**
     * Calls a method (on {@code receiver}, unless null for a static one) with an array of arguments.
     * The handle that binds the receiver and spreads the array is made at the first call, not when the
     * module is defined: making one costs ~1 ms of generated code per signature, which start-up would
     * pay for every function, called or not.
     */
    private static final class SpreadingInvoker implements FunctionDefinition.Invoker {
        private final MethodHandle method;
        private final Object receiver;
        private final int parameterCount;
        private volatile MethodHandle spread; // made once; two threads making it at once make equal ones

        SpreadingInvoker(MethodHandle method, Object receiver, int parameterCount) {
            this.method = method;
            this.receiver = receiver;
            this.parameterCount = parameterCount;
        }

        @Override
        public Object invoke(Object[] arguments) throws Throwable {
            MethodHandle handle = spread;
            if (handle == null) {
                handle = receiver == null ? method : method.bindTo(receiver);
                handle = spread = handle.asSpreader(Object[].class, parameterCount)
                        .asType(MethodType.methodType(Object.class, Object[].class));
            }
            return handle.invokeExact(arguments);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a module in code. */
    public static final class Builder {
        private final String name;
        private String doc = "";
        private final List<FunctionDefinition> functions = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder doc(String doc) {
            this.doc = doc;
            return this;
        }

        /** Adds a function configured by {@code spec}, which must set a body. */
        public Builder function(String functionName, Consumer<FunctionBuilder> spec) {
            return add(functionName, FunctionDefinition.Kind.SYNC, spec);
        }

        /**
         * Adds an async function: its body returns a {@code CompletionStage} or a Vert.x
         * {@code Future}, and Python gets a coroutine (see {@link PyFunction}).
         */
        public Builder asyncFunction(String functionName, Consumer<FunctionBuilder> spec) {
            return add(functionName, FunctionDefinition.Kind.ASYNC, spec);
        }

        /**
         * Adds a stream function: its body returns a {@code Flow.Publisher} or a Vert.x
         * {@code ReadStream} (or a future of one), and Python gets an async generator over the items
         * (see {@link PyFunction}).
         */
        public Builder streamFunction(String functionName, Consumer<FunctionBuilder> spec) {
            return add(functionName, FunctionDefinition.Kind.STREAM, spec);
        }

        private Builder add(String functionName, FunctionDefinition.Kind kind, Consumer<FunctionBuilder> spec) {
            FunctionBuilder builder = new FunctionBuilder(functionName, kind);
            spec.accept(builder);
            functions.add(builder.build());
            return this;
        }

        public ModuleDefinition build() {
            return new ModuleDefinition(name, doc, functions);
        }
    }

    /** Builds one function; see {@link Builder#function}. */
    public static final class FunctionBuilder {
        private final String name;
        private final FunctionDefinition.Kind kind;
        private final List<ParameterDefinition> parameters = new ArrayList<>();
        private String doc = "";
        private boolean releaseGil;
        private String backend = "";
        private int prefetch = FunctionDefinition.DEFAULT_PREFETCH;
        private Type returnType = Object.class;
        private Function<Arguments, ?> body;

        private FunctionBuilder(String name, FunctionDefinition.Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        /** A required parameter converted to {@code type} (a Class or a generic Type). */
        public FunctionBuilder param(String parameterName, Type type) {
            parameters.add(
                    new ParameterDefinition(parameterName, type, false, Optional.empty(), Optional.empty(), false));
            return this;
        }

        /** A parameter with a default value, given as the Java value the body receives. */
        public FunctionBuilder param(String parameterName, Type type, Object defaultValue) {
            parameters.add(new ParameterDefinition(
                    parameterName,
                    type,
                    false,
                    Optional.ofNullable(defaultValue),
                    Optional.ofNullable(defaultValue == null ? "None" : null),
                    false));
            return this;
        }

        /** A parameter that Python may pass by keyword only; {@code defaultValue} may be null for "None". */
        public FunctionBuilder keywordOnly(String parameterName, Type type, Object defaultValue) {
            parameters.add(new ParameterDefinition(
                    parameterName,
                    type,
                    true,
                    Optional.ofNullable(defaultValue),
                    Optional.ofNullable(defaultValue == null ? "None" : null),
                    false));
            return this;
        }

        public FunctionBuilder doc(String doc) {
            this.doc = doc;
            return this;
        }

        /** Documents the Java type of the result (shown in the signature); results convert by runtime type. */
        public FunctionBuilder returns(Type type) {
            this.returnType = type;
            return this;
        }

        /** Runs the body with the GIL released; it must not touch Python objects outside {@code attach}. */
        public FunctionBuilder releaseGil(boolean release) {
            this.releaseGil = release;
            return this;
        }

        /** For async and stream functions: "asyncio", "trio" or "sniffio" (see {@link PyFunction#backend()}). */
        public FunctionBuilder backend(String name) {
            this.backend = name;
            return this;
        }

        /** For stream functions: at most this many items requested or buffered (see {@link PyFunction#prefetch()}). */
        public FunctionBuilder prefetch(int items) {
            this.prefetch = items;
            return this;
        }

        public FunctionBuilder body(Function<Arguments, ?> body) {
            this.body = body;
            return this;
        }

        private FunctionDefinition build() {
            if (body == null) {
                throw new IllegalArgumentException("function '" + name + "' has no body");
            }
            List<ParameterDefinition> all = new ArrayList<>(parameters);
            all.add(new ParameterDefinition("py", Py.class, false, Optional.empty(), Optional.empty(), true));
            if (kind != FunctionDefinition.Kind.SYNC) {
                all.add(new ParameterDefinition(
                        "cancellation", Cancellation.class, false, Optional.empty(), Optional.empty(), true));
            }
            List<String> names =
                    parameters.stream().map(ParameterDefinition::name).toList();
            Function<Arguments, ?> b = body;
            int n = parameters.size();
            FunctionDefinition.Invoker invoker = values -> b.apply(new Arguments(
                    names,
                    Arrays.copyOf(values, n),
                    (Py) values[n],
                    values.length > n + 1 ? (Cancellation) values[n + 1] : null));
            return new FunctionDefinition(
                    name, doc, all, returnType, kind, releaseGil, backend, prefetch, invoker, false, null);
        }
    }
}
