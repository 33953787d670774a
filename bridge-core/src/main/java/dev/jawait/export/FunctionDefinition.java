package dev.jawait.export;

import dev.jawait.internal.async.OptionalVertx;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * One exported function: its Python name, docstring, parameters and how it runs. Built from a
 * {@link PyFunction} method or with {@link ModuleDefinition.Builder}.
 */
public final class FunctionDefinition {
    /** How the function behaves in Python. */
    public enum Kind {
        /** Runs when called and returns its converted result. */
        SYNC,
        /** Returns a coroutine; runs when awaited and completes with its future's result. */
        ASYNC,
        /**
         * Returns an async generator over a Flow.Publisher's or Vert.x ReadStream's items (or over
         * those of the stream that a returned future completes with).
         */
        STREAM
    }

    /** Items a stream function buffers at most, unless it asks for another number. */
    public static final int DEFAULT_PREFETCH = 256;

    /** The Java body, given the converted arguments (injected ones included) in declaration order. */
    @FunctionalInterface
    interface Invoker {
        Object invoke(Object[] arguments) throws Throwable;
    }

    private final String name;
    private final String doc;
    private final List<ParameterDefinition> parameters;
    private final Type returnType;
    private final Kind kind;
    private final boolean releaseGil;
    private final String backend;
    private final int prefetch;
    private final Invoker invoker;
    /** Whether the body needs the GIL token (a declared {@code Py} parameter), not merely may use it. */
    private final boolean needsToken;

    private final Executor executor;

    FunctionDefinition(
            String name,
            String doc,
            List<ParameterDefinition> parameters,
            Type returnType,
            Kind kind,
            boolean releaseGil,
            String backend,
            int prefetch,
            Invoker invoker,
            boolean needsToken,
            Executor executor) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid Python function name");
        }
        this.name = name;
        this.doc = doc;
        this.parameters = List.copyOf(parameters);
        this.returnType = returnType;
        this.kind = kind;
        this.releaseGil = releaseGil;
        this.backend = backend;
        this.prefetch = prefetch;
        this.invoker = invoker;
        this.needsToken = needsToken;
        this.executor = executor;
        if (prefetch < 1) {
            throw new IllegalArgumentException(name + "(): prefetch must be at least 1, got " + prefetch);
        }
        if (kind == Kind.SYNC && !backend.isEmpty()) {
            throw new IllegalArgumentException(name + "() names a backend but returns neither a future nor a stream");
        }
        checkParameters();
    }

    private void checkParameters() {
        boolean sawDefault = false;
        Set<String> names = new HashSet<>();
        for (ParameterDefinition p : parameters) {
            if (p.injected()) {
                if (p.type() == Cancellation.class && kind == Kind.SYNC) {
                    throw new IllegalArgumentException(name + "() takes a Cancellation, but only async and stream "
                            + "functions can be cancelled");
                }
                continue;
            }
            if (!names.add(p.name())) {
                throw new IllegalArgumentException(name + "(): duplicate parameter name '" + p.name() + "'");
            }
            if (!p.keywordOnly()) {
                if (p.hasDefault()) {
                    sawDefault = true;
                } else if (sawDefault) {
                    throw new IllegalArgumentException(
                            name + "(): parameter '" + p.name() + "' without a default follows one with a default");
                }
            }
        }
    }

    public String name() {
        return name;
    }

    public String doc() {
        return doc;
    }

    public List<ParameterDefinition> parameters() {
        return parameters;
    }

    /** The declared Java return type. */
    public Type returnType() {
        return returnType;
    }

    public Kind kind() {
        return kind;
    }

    public boolean releaseGil() {
        return releaseGil;
    }

    /** The async backend asked for ("asyncio", "trio", "sniffio"), or "" for the default. */
    public String backend() {
        return backend;
    }

    /** For stream functions: how many items are requested or buffered at most. */
    public int prefetch() {
        return prefetch;
    }

    /** Where the body of an async or stream function runs; empty: on the Python thread that awaits it. */
    public Optional<Executor> executor() {
        return Optional.ofNullable(executor);
    }

    /**
     * This function with its body run on {@code executor} if it is async or a stream; a sync
     * function is returned as is. Refused for a body that declares a {@code Py} parameter: the GIL
     * token belongs to the calling thread.
     */
    FunctionDefinition runningOn(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (kind == Kind.SYNC) {
            return this;
        }
        if (needsToken) {
            throw new IllegalArgumentException(name + "() takes a Py parameter, so it cannot run on an executor: "
                    + "the GIL token belongs to the calling thread; use Python.attach in the body instead");
        }
        return new FunctionDefinition(
                name, doc, parameters, returnType, kind, releaseGil, backend, prefetch, invoker, false, executor);
    }

    /**
     * The kind of a function whose Java method returns {@code type}: a stream, or a future of one,
     * is a STREAM; another future is ASYNC.
     */
    static Kind kindOf(Type type) {
        Class<?> raw = raw(type);
        if (Flow.Publisher.class.isAssignableFrom(raw) || OptionalVertx.isReadStreamType(raw)) {
            return Kind.STREAM;
        }
        if (CompletionStage.class.isAssignableFrom(raw) || OptionalVertx.isFutureType(raw)) {
            return type instanceof ParameterizedType future && kindOf(future.getActualTypeArguments()[0]) == Kind.STREAM
                    ? Kind.STREAM
                    : Kind.ASYNC;
        }
        return Kind.SYNC;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (type instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        }
        return Object.class; // a type variable or generic array: nothing to learn from it
    }

    static Object invoke(FunctionDefinition function, Object[] arguments) throws Throwable {
        return function.invoker.invoke(arguments);
    }
}
