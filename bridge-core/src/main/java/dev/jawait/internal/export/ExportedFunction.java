package dev.jawait.internal.export;

import dev.jawait.export.Cancellation;
import dev.jawait.export.FunctionDefinition;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.async.AsyncCalls;
import dev.jawait.internal.async.AsyncNatives;
import dev.jawait.internal.convert.HandleType;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.runtime.AttachScope;
import dev.jawait.internal.runtime.ReferenceClaim;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Runs an exported function: binds a call's arguments with its {@link FunctionSignature}, runs the
 * Java body (with a {@code Py} token or a {@code Cancellation} injected where it asks, the GIL
 * released where it says), and converts the result.
 *
 * <p>For an async or stream function this is the {@code bind} step that its Python wrapper calls
 * at once; the {@link BoundCall} it returns runs the body when the coroutine first runs, returning
 * the result at once if the Java future is already complete, else a {@code _jawait.Pending} for
 * the backend to park on. Arguments borrowed from Python then live until the future completes or
 * the await is cancelled. A function with an executor has its body run there, and the await parks
 * on the future of its outcome.
 */
final class ExportedFunction implements NativeFunction.Body {
    private static final Class<?> PY_OBJECT = Bridge.values().objectClass();

    private final FunctionDefinition definition;
    private final FunctionSignature signature;
    private final String displayName;
    /** An async or a stream function: its Python wrapper runs it when first awaited or iterated. */
    private final boolean async;
    /** Where the body runs, for a function that does not run on the calling thread; else null. */
    private final Executor executor;

    /** Resolves the signature's converters and defaults; the caller holds the GIL. */
    ExportedFunction(String moduleName, FunctionDefinition definition) {
        this.definition = definition;
        this.signature = new FunctionSignature(moduleName, definition);
        this.displayName = signature.displayName;
        this.async = definition.kind() != FunctionDefinition.Kind.SYNC;
        this.executor = definition.executor().orElse(null);
    }

    /** The Python-facing signature: binding, defaults, {@code __text_signature__}, the wrapper's checks. */
    FunctionSignature signature() {
        return signature;
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
     * arguments Python could already vouch for ({@link FunctionSignature#fastChecks}): one crossing in all.
     */
    NativeFunction.Body startingNow() {
        return (attachment, args, nargs, kwnames) -> call(attachment, args, nargs, kwnames, true);
    }

    private long call(ThreadAttachment attachment, long args, long nargs, long kwnames, boolean startNow)
            throws Throwable {
        int scope = attachment.openArgumentScope(async);
        List<ReferenceClaim> borrowed;
        Object[] values;
        try {
            values = signature.bind(args, nargs, kwnames, async);
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
    private long start(Object[] values, List<ReferenceClaim> borrowed) throws Throwable {
        boolean handedOver = false;
        try {
            Cancellation cancellation = null;
            if (signature.cancellationIndex >= 0) {
                cancellation = Bridge.cancellations().create();
                values[signature.cancellationIndex] = cancellation;
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
        private final List<ReferenceClaim> borrowed;
        private boolean started; // guarded by this object (threads run Python at once on free-threaded builds)

        private BoundCall(Object[] values, List<ReferenceClaim> borrowed) {
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
                borrowed.forEach(ReferenceClaim::close);
            }
        }

        /** Marks the call started (or dropped); false if it already was. */
        private synchronized boolean claim() {
            boolean first = !started;
            started = true;
            return first;
        }
    }

    private Object invoke(ThreadAttachment attachment, Object[] values) throws Throwable {
        AttachScope createdScope = null;
        AttachScope outer = attachment.scope(); // another interpreter's, when Python runs inside a detach of it
        if (signature.tokenIndex >= 0) {
            AttachScope scope = AttachScope.current(attachment);
            if (scope == null) {
                scope = createdScope = new AttachScope(attachment);
                attachment.setScope(scope);
            }
            values[signature.tokenIndex] = scope.token();
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
            if (createdScope != null) {
                createdScope.close();
                attachment.setScope(outer);
            }
        }
    }

    /** The Python result; a returned PyObject is handed over to Python and closed here. */
    static long convertResult(Object result) {
        if (result != null && result.getClass() == PY_OBJECT) {
            try {
                return ToPython.convert(result);
            } finally {
                Bridge.values().claim(result).close();
            }
        }
        return ToPython.convert(result);
    }
}
