package dev.jawait.internal.async;

import dev.jawait.PyObject;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.internal.Bridge;
import dev.jawait.internal.convert.HandleType;

/**
 * What the Python half of the async machinery asks Java, as functions of the {@code _jawait}
 * module, and the {@code _jawait.Pending} type: a Java await that Python must park for.
 */
public final class AsyncNatives {
    private AsyncNatives() {}

    private static HandleType pendingType;

    /** Creates {@code _jawait.Pending}; the caller holds the GIL. Returns the type object (borrowed). */
    public static long createPendingType() {
        pendingType = HandleType.create("_jawait.Pending",
                "A Java future that was not complete when its coroutine first ran; the backend parks on it.");
        return pendingType.typeObject();
    }

    /** A new {@code _jawait.Pending} for {@code call}. */
    static long pending(PendingCall call) {
        return pendingType.wrap(call);
    }

    public static void addFunctions(ModuleDefinition.Builder module) {
        module.function("attach", f -> f
                        .param("pending", Object.class).param("channel", Object.class).param("waiter", PyObject.class)
                        .doc("Parks a pending Java await on a loop's channel; the waiter is resolved on completion.")
                        .body(args -> {
                            ((PendingCall) args.get("pending")).attach((LoopChannel) args.get("channel"),
                                    ((PyObject) args.get("waiter")).newReference());
                            return null;
                        }))
                .function("cancel", f -> f
                        .param("pending", Object.class)
                        .doc("The awaiting coroutine gave up: True if the Java side was cancelled, False if a "
                                + "completion is already queued.")
                        .body(args -> ((PendingCall) args.get("pending")).cancel()))
                .function("open_channel", f -> f
                        .param("wake_fd", int.class).param("name", String.class)
                        .doc("A wake channel for one event loop, which watches wake_fd.")
                        .body(args -> new LoopChannel(args.getInt("wake_fd"), args.getString("name"))))
                .function("drain", f -> f
                        .param("channel", Object.class)
                        .doc("Runs queued actions; returns the queued completions as (done, failed), or None.")
                        .body(args -> Bridge.references().steal(((LoopChannel) args.get("channel")).drain())))
                .function("close_channel", f -> f
                        .param("channel", Object.class)
                        .doc("Refuses further completions; returns what was queued, as drain() does.")
                        .body(args -> Bridge.references().steal(((LoopChannel) args.get("channel")).close())))
                .function("track_task", f -> f
                        .param("completion", Object.class).param("channel", Object.class).param("cancel", PyObject.class)
                        .doc("A spawned awaitable runs on channel's loop; calling cancel there cancels it.")
                        .body(args -> {
                            ((PythonTask) args.get("completion")).track((LoopChannel) args.get("channel"),
                                    ((PyObject) args.get("cancel")).newReference());
                            return null;
                        }))
                .function("settle", f -> f
                        .param("completion", Object.class).param("kind", int.class).param("value", PyObject.class)
                        .doc("The outcome of a spawned awaitable: kind 0 a value, 1 an exception, 2 cancelled.")
                        .body(args -> {
                            ((PythonTask) args.get("completion")).settle(args.getInt("kind"), (PyObject) args.get("value"));
                            return null;
                        }))
                .function("loop_started", f -> f
                        .param("control", Object.class).param("channel", Object.class).param("stop", PyObject.class)
                        .doc("An event loop that Java started runs; calling stop on it ends it.")
                        .body(args -> {
                            ((OwnedLoop) args.get("control")).started((LoopChannel) args.get("channel"),
                                    ((PyObject) args.get("stop")).newReference());
                            return null;
                        }));
    }
}
