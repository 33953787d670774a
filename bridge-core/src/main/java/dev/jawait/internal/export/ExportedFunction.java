package dev.jawait.internal.export;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.export.Cancellation;
import dev.jawait.export.FunctionDefinition;
import dev.jawait.export.ParameterDefinition;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.AsyncCalls;
import dev.jawait.internal.async.AsyncNatives;
import dev.jawait.internal.convert.ConversionFailure;
import dev.jawait.internal.convert.Converters;
import dev.jawait.internal.convert.FromPython;
import dev.jawait.internal.convert.HandleType;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.runtime.InterpreterLocal;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.PyStrings;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.List;

/**
 * Binds Python arguments (positional and keyword) to a {@link FunctionDefinition}'s parameters,
 * converts them, runs the Java body, and converts the result. Argument errors read like Python's
 * own: {@code inventory.add() argument 'count' must be int, not str}.
 *
 * <p>For an async or stream function this is the {@code bind} step that its Python wrapper calls
 * at once; the {@link BoundCall} it returns runs the body when the coroutine first runs, returning
 * the result at once if the Java future is already complete, else a {@code _jawait.Pending} for
 * the backend to park on. Arguments borrowed from Python then live until the future completes or
 * the await is cancelled. A function with an executor has its body run there, and the await parks
 * on the future of its outcome.
 */
final class ExportedFunction implements NativeFunction.Body {
    private static final PyFunctionRef LITERAL_EVAL = new PyFunctionRef("ast", "literal_eval");
    /** What an async function's Python wrapper passes for an optional argument left out. */
    private static final PyFunctionRef MISSING = new PyFunctionRef("jawait._async", "MISSING");

    private static final Object UNSET = new Object();
    private static final Object CONVERTED_PER_CALL = new Object();

    private final FunctionDefinition definition;
    private final String displayName;
    private final ParameterDefinition[] parameters;
    private final Converters.Converter[] converters;
    private final Object[] defaults;
    /** Interned str of each Python-visible parameter's name (0 for injected ones), for keyword matching. */
    private final InterpreterLocal<long[]> keywordNames = new InterpreterLocal<>(this::internedNames);
    /** Java parameter index of each positional Python parameter, in order. */
    private final int[] positional;

    private final int tokenIndex;
    private final int cancellationIndex;
    /** An async or a stream function: its Python wrapper runs it when first awaited or iterated. */
    private final boolean async;
    /** Where the body runs, for a function that does not run on the calling thread; else null. */
    private final java.util.concurrent.Executor executor;

    /** Resolves converters and defaults; the caller holds the GIL. */
    ExportedFunction(String moduleName, FunctionDefinition definition) {
        this.definition = definition;
        this.displayName = moduleName + "." + definition.name();
        List<ParameterDefinition> params = definition.parameters();
        int n = params.size();
        this.parameters = params.toArray(new ParameterDefinition[0]);
        this.converters = new Converters.Converter[n];
        this.defaults = new Object[n];
        int positionalCount = 0;
        int token = -1;
        int cancellation = -1;
        this.async = definition.kind() != FunctionDefinition.Kind.SYNC;
        this.executor = definition.executor().orElse(null);
        for (int i = 0; i < n; i++) {
            ParameterDefinition p = parameters[i];
            if (p.injected()) {
                if (p.type() == Py.class) {
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
        if (value instanceof PyObject object) {
            object.close();
            return true;
        }
        boolean any = false;
        if (value instanceof java.util.Optional<?> optional && optional.isPresent()) {
            any = closePythonObjects(optional.get());
        } else if (value instanceof java.util.Collection<?> items) {
            for (Object item : items) {
                any |= closePythonObjects(item);
            }
        } else if (value instanceof java.util.Map<?, ?> map) {
            for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
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
     * A sync function runs now and returns its converted result. An async or stream function
     * returns its {@link BoundCall} (as a {@code jawait.JavaObject}): the arguments are checked and
     * converted now, where Python code wrote the call, and the Java body runs when the coroutine or
     * generator first runs ({@code _jawait.start_call}).
     */
    @Override
    public long call(ThreadAttachment attachment, long args, long nargs, long kwnames) throws Throwable {
        return call(attachment, args, nargs, kwnames, false);
    }

    /**
     * For an async or stream function: binds and starts at once, returning what {@link BoundCall#start}
     * would. Its Python wrapper calls this when the first step of the coroutine runs, for a call whose
     * arguments Python could already vouch for ({@link #fastChecks}): one crossing in all.
     */
    NativeFunction.Body startingNow() {
        return (attachment, args, nargs, kwnames) -> call(attachment, args, nargs, kwnames, true);
    }

    private long call(ThreadAttachment attachment, long args, long nargs, long kwnames, boolean startNow)
            throws Throwable {
        int scope = attachment.openArgumentScope(async);
        List<PyObject> borrowed;
        Object[] values;
        try {
            values = bind(args, nargs, kwnames);
        } finally {
            borrowed = attachment.closeArgumentScope(scope);
        }
        if (values != null && async) {
            return startNow ? start(values, borrowed) : JavaObjects.wrap(new BoundCall(values, borrowed));
        }
        try {
            return values == null ? 0 : convertResult(invoke(attachment, values)); // null: a TypeError is set
        } finally {
            for (int i = 0; i < borrowed.size(); i++) {
                borrowed.get(i).close();
            }
        }
    }

    /**
     * Runs an async or stream function's Java body: returns the result if its future is already
     * complete, else a {@code _jawait.Pending} for the backend to park on; for a stream function,
     * the stream handle. Takes over {@code borrowed}. GIL held.
     */
    private long start(Object[] values, List<PyObject> borrowed) throws Throwable {
        boolean handedOver = false;
        try {
            Cancellation cancellation = null;
            if (cancellationIndex >= 0) {
                cancellation = Bridge.cancellations().create();
                values[cancellationIndex] = cancellation;
            }
            boolean stream = definition.kind() == FunctionDefinition.Kind.STREAM;
            Object result = executor != null
                    ? AsyncCalls.runOn(
                            executor, () -> Bridge.definitions().invoke(definition, values), stream, displayName)
                    : invoke(ThreadAttachment.current(), values);
            if (stream) {
                long handle = AsyncCalls.startStream(
                        result, executor, definition.prefetch(), cancellation, borrowed, displayName);
                handedOver = true;
                return handle;
            }
            long pending = AsyncCalls.start(result, cancellation, borrowed, displayName);
            handedOver = pending != 0;
            return handedOver ? pending : convertResult(AsyncCalls.completedResult(result, displayName));
        } finally {
            if (!handedOver) {
                for (int i = 0; i < borrowed.size(); i++) {
                    borrowed.get(i).close();
                }
            }
        }
    }

    /**
     * A call of this async or stream function with its arguments converted, waiting for its
     * coroutine or generator to run it. Arguments borrowed from Python are released when the call
     * hands them on, or when Python drops a call that never ran.
     */
    final class BoundCall implements HandleType.ReleasedByPython, AsyncNatives.Startable {
        private final Object[] values;
        private final List<PyObject> borrowed;
        private boolean started; // guarded by this object (threads run Python at once on free-threaded builds)

        private BoundCall(Object[] values, List<PyObject> borrowed) {
            this.values = values;
            this.borrowed = borrowed;
        }

        /** Runs the Java body (see {@link ExportedFunction#start}). GIL held. */
        @Override
        public long start() throws Throwable {
            if (!claim()) {
                throw new IllegalStateException(displayName + "(): this call has already started");
            }
            return ExportedFunction.this.start(values, borrowed);
        }

        @Override
        public void releasedByPython() {
            if (claim()) {
                borrowed.forEach(PyObject::close);
            }
        }

        /** Marks the call started (or dropped); false if it already was. */
        private synchronized boolean claim() {
            boolean first = !started;
            started = true;
            return first;
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
        List<String> checks = new java.util.ArrayList<>();
        for (ParameterDefinition p : parameters) {
            if (!p.injected()) {
                Class<?> raw = Converters.rawClass(p.type());
                String check = FAST_CHECKS.getOrDefault(raw, "");
                checks.add(raw.isPrimitive() || check.isEmpty() || check.equals("any") ? check : "?" + check);
            }
        }
        return checks;
    }

    private static final java.util.Map<Class<?>, String> FAST_CHECKS = java.util.Map.ofEntries(
            java.util.Map.entry(long.class, "int64"),
            java.util.Map.entry(Long.class, "int64"),
            java.util.Map.entry(int.class, "int32"),
            java.util.Map.entry(Integer.class, "int32"),
            java.util.Map.entry(short.class, "int16"),
            java.util.Map.entry(Short.class, "int16"),
            java.util.Map.entry(byte.class, "int8"),
            java.util.Map.entry(Byte.class, "int8"),
            java.util.Map.entry(double.class, "float"),
            java.util.Map.entry(Double.class, "float"),
            java.util.Map.entry(float.class, "float"),
            java.util.Map.entry(Float.class, "float"),
            java.util.Map.entry(boolean.class, "bool"),
            java.util.Map.entry(Boolean.class, "bool"),
            java.util.Map.entry(String.class, "str"),
            java.util.Map.entry(CharSequence.class, "str"),
            java.util.Map.entry(byte[].class, "bytes"),
            java.util.Map.entry(Object.class, "any"),
            java.util.Map.entry(PyObject.class, "any"));

    private Object invoke(ThreadAttachment attachment, Object[] values) throws Throwable {
        Py createdToken = null;
        Object outer = attachment.token(); // another interpreter's, when Python runs inside a detach of it
        if (tokenIndex >= 0) {
            Py token = Bridge.tokens().current(attachment);
            if (token == null) {
                token = createdToken = Bridge.tokens().open(attachment);
                attachment.setToken(token);
            }
            values[tokenIndex] = token;
        }
        try {
            if (definition.releaseGil()) {
                ThreadAttachment.Suspended suspended = attachment.detach();
                try {
                    return Bridge.definitions().invoke(definition, values);
                } finally {
                    attachment.reattach(suspended);
                }
            }
            return Bridge.definitions().invoke(definition, values);
        } finally {
            if (createdToken != null) {
                Bridge.tokens().close(createdToken);
                attachment.setToken(outer);
            }
        }
    }

    /** The Python result; a returned PyObject is handed over to Python and closed here. */
    static long convertResult(Object result) {
        if (result instanceof PyObject p) {
            try {
                return ToPython.convert(p);
            } finally {
                p.close();
            }
        }
        return ToPython.convert(result);
    }

    private Object[] bind(long args, long nargs, long kwnames) {
        Object[] values = new Object[parameters.length];
        if (nargs > positional.length) {
            return typeError(
                    displayName + "() takes " + (positional.length == 0 ? "no" : "at most " + positional.length)
                            + " positional argument" + (positional.length == 1 ? "" : "s") + " (" + nargs + " given)");
        }
        java.util.Arrays.fill(values, UNSET);
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
                || value instanceof java.math.BigInteger) {
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
