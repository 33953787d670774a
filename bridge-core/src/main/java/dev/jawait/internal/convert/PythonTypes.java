package dev.jawait.internal.convert;

import dev.jawait.export.FunctionDefinition;
import dev.jawait.export.ParameterDefinition;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.OptionalVertx;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.stream.Collectors;

/**
 * The Python type of a Java type as jawait's conversions see it, written as an annotation
 * expression: the same text serves {@code .pyi} stubs and, evaluated once, the runtime annotations
 * of async and stream functions. Names are qualified ({@code typing.Any},
 * {@code collections.abc.Callable}, {@code jawait.JavaObject}) so that one import of each module
 * makes any of them valid.
 *
 * <p>Arguments and results differ: an argument is converted to the declared Java type
 * ({@link Converters}), a result by its runtime class ({@link ToPython}). A {@code List<Long>}
 * parameter takes a {@code list[int]}; a returned {@code Optional} arrives as a
 * {@code jawait.JavaObject}. Java references also accept None, which the annotations leave out:
 * they say what a function is meant to take.
 */
public final class PythonTypes {
    private PythonTypes() {}

    public static final String ANY = "typing.Any";
    public static final String JAVA_OBJECT = "jawait.JavaObject";

    /** The annotations of a function's Python-visible parameters, by name, then "return". */
    public static Map<String, String> annotations(FunctionDefinition function) {
        Map<String, String> annotations = new LinkedHashMap<>();
        for (ParameterDefinition p : function.parameters()) {
            if (!p.injected()) {
                annotations.put(p.name(), argument(p.type()));
            }
        }
        annotations.put("return", returned(function));
        return annotations;
    }

    /**
     * What calling the function gives: the result of a sync function; for an async function what
     * awaiting it gives (it is an {@code async def}); for a stream function its async generator.
     */
    static String returned(FunctionDefinition function) {
        Type type = function.returnType();
        return switch (function.kind()) {
            case SYNC -> result(type);
            case ASYNC -> result(awaited(type));
            case STREAM -> "collections.abc.AsyncGenerator[" + result(streamItem(type)) + ", None]";
        };
    }

    /** The result type of a future type; a builder-made function may give the result type itself. */
    private static Type awaited(Type type) {
        Type result = typeArgument(type, CompletionStage.class);
        if (result == null && OptionalVertx.futureClass() != null) {
            result = typeArgument(type, OptionalVertx.futureClass());
        }
        return result != null ? result : isFuture(type) ? Object.class : type;
    }

    /** The item type of a stream type (or of a future of one); a builder-made function may give the item type itself. */
    private static Type streamItem(Type type) {
        Type stream = isFuture(type) ? awaited(type) : type;
        Type item = typeArgument(stream, Flow.Publisher.class);
        if (item == null && OptionalVertx.readStreamClass() != null) {
            item = typeArgument(stream, OptionalVertx.readStreamClass());
        }
        return item != null ? item : isStream(stream) ? Object.class : stream;
    }

    private static boolean isFuture(Type type) {
        Class<?> raw = Converters.rawClass(type);
        return CompletionStage.class.isAssignableFrom(raw) || OptionalVertx.isFutureType(raw);
    }

    private static boolean isStream(Type type) {
        Class<?> raw = Converters.rawClass(type);
        return Flow.Publisher.class.isAssignableFrom(raw) || OptionalVertx.isReadStreamType(raw);
    }

    /** What Python may pass for a parameter of {@code type} (mirrors {@link Converters}). */
    public static String argument(Type type) {
        if (type instanceof WildcardType || type instanceof TypeVariable<?>) {
            return argument(bound(type));
        }
        if (type instanceof GenericArrayType array) {
            return "list[" + argument(array.getGenericComponentType()) + "]";
        }
        Class<?> raw = Converters.rawClass(type);
        String simple = simple(raw);
        if (simple != null) {
            return simple;
        }
        if (raw == Optional.class) {
            return "typing.Optional[" + argument(typeArgument(type, 0)) + "]";
        }
        if (raw == List.class || raw == Collection.class || raw == Iterable.class || raw == ArrayList.class) {
            return "list[" + argument(typeArgument(type, 0)) + "]";
        }
        if (raw == Set.class) {
            return "set[" + argument(typeArgument(type, 0)) + "]";
        }
        if (raw == Map.class) {
            return "dict[" + argument(typeArgument(type, 0)) + ", " + argument(typeArgument(type, 1)) + "]";
        }
        if (raw.isArray()) {
            return "list[" + argument(raw.getComponentType()) + "]";
        }
        if (raw.isEnum()) {
            String names = Arrays.stream(raw.getEnumConstants())
                    .map(c -> "'" + ((Enum<?>) c).name() + "'")
                    .collect(Collectors.joining(", "));
            return "typing.Union[typing.Literal[" + names + "], " + JAVA_OBJECT + "]";
        }
        if (PythonCallables.isFunctionalInterface(raw)) {
            return callable(type, raw);
        }
        return JAVA_OBJECT;
    }

    /** What Python receives from a Java value declared as {@code type} (mirrors {@link ToPython}). */
    public static String result(Type type) {
        if (type instanceof WildcardType || type instanceof TypeVariable<?>) {
            return result(bound(type));
        }
        if (type instanceof GenericArrayType array) {
            return "list[" + result(array.getGenericComponentType()) + "]";
        }
        Class<?> raw = Converters.rawClass(type);
        if (raw == void.class || raw == Void.class) {
            return "None";
        }
        String simple = simple(raw);
        if (simple != null) {
            return simple;
        }
        if (Throwable.class.isAssignableFrom(raw)) {
            return "jawait.JavaError";
        }
        if (Map.class.isAssignableFrom(raw)) {
            return "dict[" + result(typeArgument(type, Map.class, 0)) + ", " + result(typeArgument(type, Map.class, 1))
                    + "]";
        }
        if (Set.class.isAssignableFrom(raw)) {
            return "set[" + result(typeArgument(type, Set.class, 0)) + "]";
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return "list[" + result(typeArgument(type, Collection.class, 0)) + "]";
        }
        if (raw.isArray()) {
            return "list[" + result(raw.getComponentType()) + "]";
        }
        if (raw == Iterable.class) {
            return ANY; // a list when the value is a Collection, a JavaObject otherwise
        }
        return JAVA_OBJECT;
    }

    /** Types that cross the same way in both directions; null for the others. */
    private static String simple(Class<?> raw) {
        if (raw == Object.class || raw == Bridge.values().objectClass()) {
            return ANY;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "bool";
        }
        if (raw == long.class
                || raw == Long.class
                || raw == int.class
                || raw == Integer.class
                || raw == short.class
                || raw == Short.class
                || raw == byte.class
                || raw == Byte.class
                || raw == BigInteger.class) {
            return "int";
        }
        if (raw == double.class
                || raw == Double.class
                || raw == float.class
                || raw == Float.class
                || raw == Number.class) {
            return "float"; // an int is a valid float for type checkers, as for the conversions
        }
        if (raw == String.class || raw == CharSequence.class || raw == char.class || raw == Character.class) {
            return "str";
        }
        if (raw == byte[].class || raw.getName().equals("io.vertx.core.buffer.Buffer")) {
            return "bytes";
        }
        return null;
    }

    /** A Python callable converted to a functional interface: Java passes it results, it returns an argument. */
    private static String callable(Type type, Class<?> raw) {
        Method method = PythonCallables.singleAbstractMethod(raw);
        Map<TypeVariable<?>, Type> bindings = bindings(type);
        List<String> parameters = new ArrayList<>();
        for (Type parameter : method.getGenericParameterTypes()) {
            parameters.add(result(substitute(parameter, bindings)));
        }
        String returns = method.getReturnType() == void.class
                ? "None"
                : argument(substitute(method.getGenericReturnType(), bindings));
        return "collections.abc.Callable[[" + String.join(", ", parameters) + "], " + returns + "]";
    }

    private static Type bound(Type type) {
        if (type instanceof WildcardType wildcard) {
            return wildcard.getUpperBounds()[0];
        }
        Type[] bounds = ((TypeVariable<?>) type).getBounds();
        return bounds.length == 0 ? Object.class : bounds[0];
    }

    /** The {@code index}th type argument of {@code type} itself; Object if raw. */
    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    /** The {@code index}th type argument that {@code type} gives the generic supertype {@code target}; Object if unknown. */
    private static Type typeArgument(Type type, Class<?> target, int index) {
        Type[] arguments = supertypeArguments(type, target, new HashMap<>());
        return arguments == null ? Object.class : arguments[index]; // a type variable left maps by its bound
    }

    /** The first type argument that {@code type} gives {@code target}, or null if it is no subtype of it. */
    private static Type typeArgument(Type type, Class<?> target) {
        if (!target.isAssignableFrom(Converters.rawClass(type))) {
            return null;
        }
        return typeArgument(type, target, 0);
    }

    /**
     * The type arguments with which {@code type} (or one of its supertypes) extends {@code target},
     * type variables resolved as far as {@code type} says; null if none does.
     */
    private static Type[] supertypeArguments(Type type, Class<?> target, Map<TypeVariable<?>, Type> outer) {
        Class<?> raw = Converters.rawClass(type);
        if (!target.isAssignableFrom(raw)) {
            return null;
        }
        Map<TypeVariable<?>, Type> bindings = new HashMap<>(outer);
        if (type instanceof ParameterizedType p) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            for (int i = 0; i < variables.length; i++) {
                bindings.put(variables[i], substitute(p.getActualTypeArguments()[i], outer));
            }
        }
        if (raw == target) {
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = new Type[variables.length];
            for (int i = 0; i < variables.length; i++) {
                arguments[i] = bindings.getOrDefault(variables[i], Object.class);
            }
            return arguments;
        }
        List<Type> supertypes = new ArrayList<>(Arrays.asList(raw.getGenericInterfaces()));
        if (raw.getGenericSuperclass() != null) {
            supertypes.add(raw.getGenericSuperclass());
        }
        for (Type supertype : supertypes) {
            Type[] found = supertypeArguments(supertype, target, bindings);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The type variables of {@code type}'s class bound to its type arguments. */
    private static Map<TypeVariable<?>, Type> bindings(Type type) {
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        if (type instanceof ParameterizedType p) {
            TypeVariable<?>[] variables = Converters.rawClass(type).getTypeParameters();
            for (int i = 0; i < variables.length; i++) {
                bindings.put(variables[i], p.getActualTypeArguments()[i]);
            }
        }
        return bindings;
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        return type instanceof TypeVariable<?> variable ? bindings.getOrDefault(variable, type) : type;
    }
}
