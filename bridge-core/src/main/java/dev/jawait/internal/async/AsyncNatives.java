package dev.jawait.internal.async;

import dev.jawait.internal.Bridge;
import dev.jawait.internal.convert.JavaObjects;
import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.export.NativeFunction;
import dev.jawait.internal.export.NativeModuleBuilder;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Memory;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.runtime.OwnedReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the Python half of the async machinery asks Java, as functions of the {@code _jawait}
 * module. The three on every parked await (attach, cancel, drain) read their arguments directly
 * from the vectorcall array; the others go through ordinary argument binding.
 */
public final class AsyncNatives {
    private AsyncNatives() {}

    /** A bound call of an async or stream function (see {@code ExportedFunction}), run when first awaited. */
    public interface Startable {
        /** Its result, a new Pending reference, or a stream handle. GIL held. */
        long start() throws Throwable;
    }

    private static Map<String, NativeFunction> rawFunctions;

    /**
     * The functions on hot paths (start_call, attach, cancel, drain, ...), as raw built-in bodies,
     * made once: the same builtins serve every interpreter. The caller holds a GIL.
     */
    public static synchronized Map<String, NativeFunction> rawFunctions() {
        if (rawFunctions == null) {
            rawFunctions = makeRawFunctions();
        }
        return rawFunctions;
    }

    private static Map<String, NativeFunction> makeRawFunctions() {
        Map<String, NativeFunction> functions = new LinkedHashMap<>();
        functions.put(
                "attach",
                NativeFunction.create(
                        "attach",
                        "attach(pending, channel, waiter)\n--\n\nParks a pending Java await on a loop's channel; the waiter "
                                + "(a future or task) is resumed on completion.",
                        (attachment, args, nargs, kwnames) -> {
                            requirePositional("attach", 3, nargs, kwnames);
                            PendingCall call = pending("attach", Memory.getLong(args));
                            LoopChannel channel = channel("attach", Memory.getLong(args + 8));
                            call.attach(channel, Memory.getLong(args + 16));
                            return ToPython.newReference(Symbols.NONE);
                        }));
        functions.put(
                "cancel",
                NativeFunction.create(
                        "cancel",
                        "cancel(pending)\n--\n\nThe awaiting coroutine gave up: False if a completion is queued (it will "
                                + "still resume the waiter), True otherwise.",
                        (attachment, args, nargs, kwnames) -> {
                            requirePositional("cancel", 1, nargs, kwnames);
                            // An ended call was delivered (its waiter is no longer parked) or discarded (nothing
                            // resumes it).
                            PendingCall call = PendingCall.byId(pendingId(Memory.getLong(args)));
                            return ToPython.bool(call == null || call.cancel());
                        }));
        functions.put(
                "start_call",
                NativeFunction.create(
                        "start_call",
                        "start_call(bound)\n--\n\nRuns a bound Java async or stream call: its result, a Pending to park on, "
                                + "or a stream handle.",
                        (attachment, args, nargs, kwnames) -> {
                            requirePositional("start_call", 1, nargs, kwnames);
                            return handle("start_call", Memory.getLong(args), Startable.class, "a bound call")
                                    .start();
                        }));
        functions.put(
                "stream_take",
                NativeFunction.create(
                        "stream_take",
                        "stream_take(stream)\n--\n\nThe items a stream has buffered, as a list (END at the end), or a Pending "
                                + "to park on when it has none yet.",
                        (attachment, args, nargs, kwnames) -> {
                            requirePositional("stream_take", 1, nargs, kwnames);
                            StreamSubscription stream = stream("stream_take", Memory.getLong(args));
                            long batch = stream.take();
                            if (batch != 0) {
                                return batch;
                            }
                            PendingCall wait = new PendingCall(stream.nextBatch(), List.of(), "stream");
                            return AsyncCalls.pending(wait);
                        }));
        functions.put(
                "publisher_push",
                NativeFunction.create(
                        "publisher_push",
                        "publisher_push(sink, items)\n--\n\nHands a list of items to a Java subscriber's onNext; False once it "
                                + "cancelled.",
                        (attachment, args, nargs, kwnames) -> {
                            requirePositional("publisher_push", 2, nargs, kwnames);
                            long items = Memory.getLong(args + 8);
                            if (Memory.typeOf(items) != Symbols.LIST_TYPE) {
                                throw new ClassCastException("_jawait.publisher_push() needs a list of items");
                            }
                            return ToPython.bool(
                                    sink("publisher_push", Memory.getLong(args)).push(items));
                        }));
        functions.put(
                "settle",
                NativeFunction.create(
                        "settle",
                        "settle(completion, kind, value)\n--\n\nThe outcome of a spawned awaitable: kind 0 a value, 1 an "
                                + "exception, 2 cancelled.",
                        (attachment, args, nargs, kwnames) -> {
                            requirePositional("settle", 3, nargs, kwnames);
                            PythonTask task = handle(
                                    "settle", Memory.getLong(args), PythonTask.class, "a spawned task's completion");
                            long kind = CPython.PyLong_AsLongLong(Memory.getLong(args + 8));
                            task.settle((int) kind, Memory.getLong(args + 16));
                            return ToPython.newReference(Symbols.NONE);
                        }));
        functions.put(
                "drain",
                NativeFunction.create(
                        "drain",
                        "drain(channel)\n--\n\nRuns queued actions; returns the queued completions as (done, failed), or None.",
                        (attachment, args, nargs, kwnames) -> {
                            requirePositional("drain", 1, nargs, kwnames);
                            return channel("drain", Memory.getLong(args)).drain();
                        }));
        return functions;
    }

    private static void requirePositional(String function, int count, long nargs, long kwnames) {
        if (nargs != count || kwnames != 0) {
            throw new IllegalArgumentException("_jawait." + function + "() takes " + count + " positional arguments");
        }
    }

    private static long pendingId(long pending) {
        long id = CPython.PyLong_AsLongLong(pending);
        if (id == -1 && CPython.PyErr_Occurred() != 0) {
            throw PythonErrors.fetch();
        }
        return id;
    }

    private static PendingCall pending(String function, long pending) {
        PendingCall call = PendingCall.byId(pendingId(pending));
        if (call == null) {
            throw new IllegalStateException("_jawait." + function + "(): this pending call already ended");
        }
        return call;
    }

    private static PythonSubscription sink(String function, long o) {
        return handle(function, o, PythonSubscription.class, "a Java subscription");
    }

    private static StreamSubscription stream(String function, long o) {
        return handle(function, o, StreamSubscription.class, "a stream handle from a stream function");
    }

    private static LoopChannel channel(String function, long o) {
        return handle(function, o, LoopChannel.class, "a channel from _jawait.open_channel()");
    }

    /** The Java object behind a handle that Python passed to {@code _jawait.<function>()}, of {@code type}. */
    private static <T> T handle(String function, long o, Class<T> type, String needs) {
        Object value = JavaObjects.isHandle(o) ? JavaObjects.unwrap(o) : null;
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new ClassCastException("_jawait." + function + "() needs " + needs);
    }

    private static Object demand(PythonSubscription sink) {
        Object credit = sink.takeDemand();
        if (credit instanceof CompletableFuture<?> next) {
            // Completed only by request() or cancel(), normally, with the credit.
            long pending = AsyncCalls.start(next, null, List.of(), "a Java subscriber's demand");
            return pending != 0 ? Bridge.values().steal(pending) : next.getNow(null);
        }
        return credit;
    }

    public static void addFunctions(NativeModuleBuilder module) {
        module.function(
                        "publisher_demand",
                        f -> f.param("sink", Object.class)
                                .doc("The demand of a Java subscriber since last asked (taken as credit), 0 once it "
                                        + "cancelled, or a Pending to park on until it asks for more.")
                                .body(args -> demand((PythonSubscription) args.get("sink"))))
                .function(
                        "stream_close",
                        f -> f.param("stream", Object.class)
                                .doc(
                                        "The generator is done with a stream: cancels it unless it ended, releases its arguments.")
                                .body(args -> {
                                    ((StreamSubscription) args.get("stream")).close();
                                    return null;
                                }))
                .function(
                        "open_channel",
                        f -> f.param("wake_fd", int.class)
                                .param("name", String.class)
                                .doc("A wake channel for one event loop, which watches wake_fd.")
                                .body(args -> new LoopChannel(args.getInt("wake_fd"), args.getString("name"))))
                .function(
                        "close_channel",
                        f -> f.param("channel", Object.class)
                                .doc(
                                        "Refuses further completions and Java work; returns what was queued, as drain() does.")
                                .body(args -> Bridge.values().steal(((LoopChannel) args.get("channel")).close())))
                .function(
                        "loop_started",
                        f -> f.param("control", Object.class)
                                .param("channel", Object.class)
                                .param("stop", Bridge.values().objectClass())
                                .doc("An event loop that Java started runs; calling stop on it ends it.")
                                .body(args -> {
                                    ((OwnedLoop) args.get("control"))
                                            .started(
                                                    (LoopChannel) args.get("channel"),
                                                    OwnedReference.borrow(Bridge.values()
                                                            .claim(args.get("stop"))
                                                            .addressHere("loop_started's stop")));
                                    return null;
                                }));
    }
}
