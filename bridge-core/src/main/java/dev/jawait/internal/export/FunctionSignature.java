package dev.jawait.internal.export;

import dev.jawait.export.Cancellation;
import dev.jawait.export.FunctionDefinition;
import dev.jawait.export.ParameterDefinition;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.convert.ConversionFailure;
import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.FromPython;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.runtime.InterpreterLocal;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.PyStrings;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An exported function's Python-facing signature: which Python arguments, positional or keyword,
 * bind to which of its Java parameters, converted how, with which defaults; its
 * {@code __text_signature__}; and what its Python wrapper can check without calling Java. Argument
 * errors read like Python's own: {@code inventory.add() argument 'count' must be int, not str}.
 */
final class FunctionSignature {
    private static final PyFunctionRef LITERAL_EVAL = new PyFunctionRef("ast", "literal_eval");
    /** What an async function's Python wrapper passes for an optional argument left out. */
    private static final PyFunctionRef MISSING = new PyFunctionRef("jawait._async", "MISSING");

    private static final Object UNSET = new Object();
    private static final Object CONVERTED_PER_CALL = new Object();

    final String displayName;
    private final ParameterDefinition[] parameters;
    private final Converters.Converter[] converters;
    private final Object[] defaults;
    /** Interned str of each Python-visible parameter's name (0 for injected ones), for keyword matching. */
    private final InterpreterLocal<long[]> keywordNames = new InterpreterLocal<>(this::internedNames);
    /** Java parameter index of each positional Python parameter, in order. */
    private final int[] positional;

    /** The Java index of the injected {@code Py} parameter, or -1. */
    final int tokenIndex;
    /** The Java index of the injected {@code Cancellation} parameter, or -1. */
    final int cancellationIndex;

    /** Resolves converters and defaults; the caller holds the GIL. */
    FunctionSignature(String moduleName, FunctionDefinition definition) {
        this.displayName = moduleName + "." + definition.name();
        List<ParameterDefinition> params = definition.parameters();
        int n = params.size();
        this.parameters = params.toArray(new ParameterDefinition[0]);
        this.converters = new Converters.Converter[n];
        this.defaults = new Object[n];
        int positionalCount = 0;
        int token = -1;
        int cancellation = -1;
        for (int i = 0; i < n; i++) {
            ParameterDefinition p = parameters[i];
            if (p.injected()) {
                if (p.type() == Bridge.values().tokenClass()) {
                    token = i;
                } else if (p.type() == Cancellation.class) {
                    cancellation = i; // async and stream functions only (FunctionDefinition checks)
                } else {
                    throw new IllegalArgumentException(
                            displayName + "(): cannot inject a " + p.type().getTypeName());
                }
                continue;
            }
            converters[i] = Converters.forType(p.type());
            defaults[i] = p.hasDefault() ? sharedDefault(p, converters[i]) : UNSET;
            if (!p.keywordOnly()) {
                positionalCount++;
            }
        }
        this.positional = new int[positionalCount];
        for (int i = 0, k = 0; i < n; i++) {
            if (!parameters[i].injected() && !parameters[i].keywordOnly()) {
                positional[k++] = i;
            }
        }
        this.tokenIndex = token;
        this.cancellationIndex = cancellation;
    }

    /**
     * The default that every call shares, converted now; or {@link #CONVERTED_PER_CALL} for a
     * Python literal that converts to Python objects, which belong to one interpreter while the
     * function serves them all.
     */
    private Object sharedDefault(ParameterDefinition p, Converters.Converter converter) {
        Object value = defaultValue(p, converter);
        if (p.defaultLiteral().isPresent() && closePythonObjects(value)) {
            return CONVERTED_PER_CALL;
        }
        return value;
    }

    /** Closes the PyObjects in {@code value} (in Optionals, collections and maps too); whether it had any. */
    private static boolean closePythonObjects(Object value) {
        if (value != null && value.getClass() == Bridge.values().objectClass()) {
            Bridge.values().claim(value).close();
            return true;
        }
        boolean any = false;
        if (value instanceof Optional<?> optional && optional.isPresent()) {
            any = closePythonObjects(optional.get());
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                any |= closePythonObjects(item);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                any |= closePythonObjects(entry.getKey()) | closePythonObjects(entry.getValue());
            }
        }
        return any;
    }

    private Object defaultValue(ParameterDefinition p, Converters.Converter converter) {
        if (p.defaultValue().isPresent()) {
            return p.defaultValue().get();
        }
        long text = ToPython.string(p.defaultLiteral().orElseThrow());
        long value;
        try {
            value = PyCalls.call(LITERAL_EVAL.get(), text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    displayName + "(): the default " + p.defaultLiteral().get() + " of parameter '" + p.name()
                            + "' is not a Python literal",
                    e);
        } finally {
            CPython.Py_DecRef(text);
        }
        try {
            return converter.convert(value);
        } catch (ConversionFailure f) {
            throw new IllegalArgumentException(
                    displayName + "(): the default " + p.defaultLiteral().get() + " of parameter '" + p.name()
                            + "' is not a valid " + f.expected(),
                    f);
        } finally {
            CPython.Py_DecRef(value);
        }
    }

    /**
     * What the Python wrapper can check of each Python-visible parameter itself, in order, so that
     * a call that passes needs no crossing until it starts: "int64", "int32", "int16", "int8" (an
     * exact int in range), "float", "bool", "str", "bytes" (exact types), "any", or "" (Java binds
     * at the call). A leading "?" admits None too. A call that fails a check is bound by Java at
     * once, which accepts what converts (an {@code __index__} object for a long) and raises the
     * usual TypeError otherwise.
     */
    List<String> fastChecks() {
        List<String> checks = new ArrayList<>();
        for (ParameterDefinition p : parameters) {
            if (!p.injected()) {
                Class<?> raw = Converters.rawClass(p.type());
                String check = FAST_CHECKS.getOrDefault(raw, "");
                checks.add(raw.isPrimitive() || check.isEmpty() || check.equals("any") ? check : "?" + check);
            }
        }
        return checks;
    }

    private static final Map<Class<?>, String> FAST_CHECKS = Map.ofEntries(
            Map.entry(long.class, "int64"),
            Map.entry(Long.class, "int64"),
            Map.entry(int.class, "int32"),
            Map.entry(Integer.class, "int32"),
            Map.entry(short.class, "int16"),
            Map.entry(Short.class, "int16"),
            Map.entry(byte.class, "int8"),
            Map.entry(Byte.class, "int8"),
            Map.entry(double.class, "float"),
            Map.entry(Double.class, "float"),
            Map.entry(float.class, "float"),
            Map.entry(Float.class, "float"),
            Map.entry(boolean.class, "bool"),
            Map.entry(Boolean.class, "bool"),
            Map.entry(String.class, "str"),
            Map.entry(CharSequence.class, "str"),
            Map.entry(byte[].class, "bytes"),
            Map.entry(Object.class, "any"),
            Map.entry(Bridge.values().objectClass(), "any"));

    /**
     * The Java arguments of a call, converted, with injected ones null; or null with a Python
     * TypeError set. An async function's wrapper passes {@code MISSING} for an optional argument
     * left out. GIL held.
     */
    Object[] bind(long args, long nargs, long kwnames, boolean async) {
        Object[] values = new Object[parameters.length];
        if (nargs > positional.length) {
            return typeError(
                    displayName + "() takes " + (positional.length == 0 ? "no" : "at most " + positional.length)
                            + " positional argument" + (positional.length == 1 ? "" : "s") + " (" + nargs + " given)");
        }
        Arrays.fill(values, UNSET);
        long missing = async ? MISSING.get() : 0;
        for (int i = 0; i < nargs; i++) {
            int target = positional[i];
            long argument = Memory.getLong(args + 8L * i);
            if (argument != missing && !convertInto(values, target, argument)) {
                return null;
            }
        }
        if (kwnames != 0) {
            long count = CPython.PyTuple_Size(kwnames);
            for (int k = 0; k < count; k++) {
                long name = CPython.PyTuple_GetItem(kwnames, k);
                int target = keywordIndex(name);
                if (target < 0) {
                    return typeError(
                            displayName + "() got an unexpected keyword argument '" + FromPython.string(name) + "'");
                }
                if (values[target] != UNSET) {
                    return typeError(
                            displayName + "() got multiple values for argument '" + parameters[target].name() + "'");
                }
                long argument = Memory.getLong(args + 8L * (nargs + k));
                if (argument != missing && !convertInto(values, target, argument)) {
                    return null;
                }
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (parameters[i].injected()) {
                values[i] = null; // filled in by call()
            } else if (values[i] == UNSET) {
                if (defaults[i] == UNSET) {
                    return typeError(displayName + "() missing required argument '" + parameters[i].name() + "'");
                }
                // Converted while the call binds, a per-call default's objects belong to the call.
                values[i] =
                        defaults[i] == CONVERTED_PER_CALL ? defaultValue(parameters[i], converters[i]) : defaults[i];
            }
        }
        return values;
    }

    /** The interned str of each Python-visible parameter's name (0 for injected ones), in the calling thread's interpreter. */
    private long[] internedNames() {
        long[] names = new long[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            names[i] = parameters[i].injected() ? 0 : PyStrings.intern(parameters[i].name());
        }
        return names;
    }

    private int keywordIndex(long name) {
        long[] interned = keywordNames.get();
        for (int i = 0; i < interned.length; i++) {
            if (interned[i] == name && name != 0) {
                return i; // the common case: both interned
            }
        }
        String text = FromPython.string(name);
        for (int i = 0; i < parameters.length; i++) {
            if (!parameters[i].injected() && parameters[i].name().equals(text)) {
                return i;
            }
        }
        return -1;
    }

    private boolean convertInto(Object[] values, int index, long argument) {
        try {
            values[index] = converters[index].convert(argument);
            return true;
        } catch (ConversionFailure f) {
            ParameterDefinition p = parameters[index];
            String named = displayName + "() argument '" + p.name() + "'";
            switch (f.kind()) {
                case OVERFLOW ->
                    PythonErrors.raise(
                            Symbols.EXC_OVERFLOW_ERROR,
                            named + ": " + f.received() + " does not fit in " + f.expected());
                case VALUE -> PythonErrors.raise(Symbols.EXC_VALUE_ERROR, named + ": " + f.getMessage());
                case TYPE ->
                    PythonErrors.raise(
                            Symbols.EXC_TYPE_ERROR, named + " must be " + f.expected() + ", not " + f.received());
            }
            return false;
        }
    }

    private static Object[] typeError(String message) {
        PythonErrors.raise(Symbols.EXC_TYPE_ERROR, message);
        return null;
    }

    /** {@code name(a, b=1, *, c=None)} for {@code __text_signature__}, or null if a default has no literal form. */
    String textSignature() {
        StringBuilder signature = new StringBuilder("(");
        boolean keywordOnlyStarted = false;
        for (int i = 0; i < parameters.length; i++) {
            ParameterDefinition p = parameters[i];
            if (p.injected()) {
                continue;
            }
            if (signature.length() > 1) {
                signature.append(", ");
            }
            if (p.keywordOnly() && !keywordOnlyStarted) {
                signature.append("*, ");
                keywordOnlyStarted = true;
            }
            signature.append(p.name());
            if (p.hasDefault()) {
                String literal =
                        p.defaultLiteral().isPresent() ? p.defaultLiteral().get() : literal(defaults[i]);
                if (literal == null) {
                    return null;
                }
                signature.append('=').append(literal);
            }
        }
        return signature.append(')').toString();
    }

    private static String literal(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? Double.toString(d) : null;
        }
        if (value instanceof String s && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')) {
            return "'" + s + "'";
        }
        return null;
    }
}
