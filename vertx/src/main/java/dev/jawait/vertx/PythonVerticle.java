package dev.jawait.vertx;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.vertx.internal.BusEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A Python module deployed as a Vert.x verticle. The module defines {@code async def start(verticle)}
 * and may define {@code async def stop(verticle)}; they are awaited as the verticle's start and
 * stop, and {@code verticle} gives them the deployment's config, its event bus and more (see the
 * Python class {@code jawait.vertx.Verticle}).
 *
 * <pre>{@code
 * vertx.deployVerticle("python:app.pricing", new DeploymentOptions().setConfig(config).setInstances(4));
 * vertx.deployVerticle(new PythonVerticle("app.pricing", new PythonVerticleOptions().setLoop("trio")), options);
 * }</pre>
 * A deployment by name ({@link PythonVerticleFactory}) takes the event loop and isolation from the
 * config's {@code "jawait"} entry ({@link PythonVerticleOptions}); the Python module's
 * {@code verticle.config} is the config without it.
 * <pre>
 * # app/pricing.py
 * async def start(verticle):
 *     verticle.handler("pricing.quote", quote)        # served until undeployed
 *
 * async def quote(msg):
 *     return {"item": msg.body["item"], "price": 4.5}  # the reply
 * </pre>
 *
 * <p>Each instance runs its own event loop, {@code "asyncio"} (the default), {@code "uvloop"} or
 * {@code "trio"}, on a thread of its own, and the module must be importable (on {@code sys.path}).
 * Deploying starts Python with default settings if it is not running yet. A {@code start} that
 * raises fails the deployment with the Python exception ({@link dev.jawait.PythonException}), and
 * what it registered is undone. Undeploying awaits {@code stop}, then unregisters the verticle's
 * consumers and cancels its tasks, and completes once they have ended and its loop has stopped.
 *
 * <p>Instances ({@code DeploymentOptions.setInstances(n)}, with a supplier as above) each get a
 * loop and a {@code verticle} object. By default they share the module's globals and the main
 * interpreter, so they take turns holding its GIL: several instances help when handlers await I/O,
 * not for CPU-bound Python code. A free-threaded CPython (3.13t) has no GIL: there the instances'
 * loops run their Python on as many cores at once, native packages with free-threaded wheels
 * included, and share the module's globals between threads. On CPython 3.12+, an instance made with
 * {@code isolated} true runs
 * in an isolated interpreter of its own (see {@link Python#newIsolatedInterpreter()}), with its own
 * GIL and its own copy of the module, so instances run Python in parallel on all cores and Vert.x
 * spreads an address's messages over them as over Java verticles:
 *
 * <pre>{@code
 * vertx.deployVerticle("python:app.pricing", new PythonVerticleOptions().setIsolated(true)
 *         .applyTo(new DeploymentOptions().setInstances(4)));
 * }</pre>
 *
 * Isolated instances are opt-in because not every Python program can run in an isolated
 * interpreter: extension modules without multi-phase initialization (uvloop, and many others)
 * cannot be imported there, nor can trio on 3.12 (it needs ctypes), and daemon threads (trio's
 * {@code to_thread}) are not allowed; each instance also costs an interpreter's start (tens of
 * milliseconds) and memory. An isolated instance sees the main interpreter's {@code sys.path}; the
 * interpreter ends with the instance.
 *
 * <p>Vert.x threads never wait for the GIL: Python start-up, the loop's own start and its stop run
 * on Vert.x worker threads, and everything else is handed to the loop.
 */
public class PythonVerticle extends VerticleBase {
    private final String module;
    /** Given at construction, or null: read from the deployment's config at start. */
    private PythonVerticleOptions options;

    private EventLoop loop;
    private PyObject verticle;
    /** The isolated interpreter this instance runs in, if {@link #isolated}. */
    private Python interpreter;

    /** The module {@code module} (such as "app.pricing"), on an asyncio event loop. */
    public PythonVerticle(String module) {
        this(module, "asyncio");
    }

    /** The module {@code module}, on an event loop of {@code eventLoop}: "asyncio", "uvloop" or "trio". */
    public PythonVerticle(String module, String eventLoop) {
        this(module, new PythonVerticleOptions().setLoop(eventLoop));
    }

    /**
     * The module {@code module}, on an event loop of {@code eventLoop}, in an isolated interpreter of
     * its own if {@code isolated} (CPython 3.12+; deploying fails with an UnsupportedOperationException
     * on older Pythons).
     */
    public PythonVerticle(String module, String eventLoop, boolean isolated) {
        this(module, new PythonVerticleOptions().setLoop(eventLoop).setIsolated(isolated));
    }

    /**
     * The module {@code module}, run as {@code options} say; with null options, as the deployment's
     * config says in its {@value PythonVerticleOptions#CONFIG_KEY} entry (the defaults if it has none).
     */
    public PythonVerticle(String module, PythonVerticleOptions options) {
        if (module == null || module.isBlank()) {
            throw new IllegalArgumentException(
                    "a PythonVerticle needs the name of a Python module, such as app.pricing");
        }
        this.module = module;
        this.options = options;
    }

    /** The Python module this verticle runs. */
    public String module() {
        return module;
    }

    /** "asyncio", "uvloop" or "trio" (for options read from the config: "asyncio" until started). */
    public String eventLoop() {
        return options == null ? "asyncio" : options.getLoop();
    }

    /**
     * What to do instead when an extension module cannot load in this instance's isolated
     * interpreter: the note jawait adds to CPython's ImportError ends with it. A launcher that made
     * the instance isolated from an option of its own says to drop that option.
     */
    protected String isolatedRemedy() {
        return "deploy this verticle with isolated false (PythonVerticleOptions.setIsolated(false), or \"jawait\": "
                + "{\"isolated\": false} in its config), so that it runs in the main interpreter";
    }

    /** Whether this instance runs in an isolated interpreter of its own. */
    public boolean isolated() {
        return options != null && options.isIsolated();
    }

    @Override
    public Future<?> start() {
        JsonObject config = config();
        if (options == null || config.containsKey(PythonVerticleOptions.CONFIG_KEY)) {
            try {
                PythonVerticleOptions fromConfig = PythonVerticleOptions.fromConfig(config);
                options = options == null ? fromConfig : options;
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(e);
            }
            config = config.copy();
            config.remove(PythonVerticleOptions.CONFIG_KEY);
        }
        JsonObject pythonConfig = config;
        BusEndpoint endpoint = new BusEndpoint(vertx, context);
        return vertx.executeBlocking(() -> loop = startLoop())
                .compose(started -> Future.fromCompletionStage(
                        started.submit(
                                "jawait.vertx._verticle.start", module, pythonConfig, deploymentID(), endpoint, vertx),
                        context))
                .transform(outcome -> {
                    if (outcome.succeeded()) {
                        verticle = (PyObject) outcome.result();
                        return Future.succeededFuture();
                    }
                    return stopLoop().transform(stopped -> Future.failedFuture(outcome.cause()));
                });
    }

    /** On a worker thread: the instance's loop, in the main interpreter or in an isolated one of its own. */
    private EventLoop startLoop() {
        Python main = Python.current().orElseGet(Python::get);
        main.register(new VertxModules());
        if (!isolated()) {
            return EventLoop.start(main, eventLoop(), module);
        }
        List<?> path = main.attach(py -> {
            try (PyObject sys = py.importModule("sys");
                    PyObject entries = sys.getAttr("path")) {
                return (List<?>) entries.as(List.class);
            }
        });
        Python own = main.newIsolatedInterpreter();
        try {
            String remedy = isolatedRemedy();
            own.run(py -> {
                try (PyObject sys = py.importModule("sys")) {
                    sys.setAttr("path", path);
                }
                try (PyObject natives = py.importModule("_jawait")) {
                    natives.setAttr("isolated_remedy", remedy);
                }
            });
            EventLoop started = EventLoop.start(own, eventLoop(), module);
            interpreter = own;
            return started;
        } catch (RuntimeException | Error e) {
            own.close();
            throw e;
        }
    }

    @Override
    public Future<?> stop() {
        return Future.fromCompletionStage(loop.submit("jawait.vertx._verticle.stop", verticle), context)
                .transform(outcome -> stopLoop()
                        .transform(stopped -> outcome.succeeded() && stopped.succeeded()
                                ? Future.succeededFuture()
                                : Future.failedFuture(outcome.succeeded() ? stopped.cause() : outcome.cause())));
    }

    /** Stops the loop (waiting for its thread, so on a worker), releasing the Python verticle. */
    private Future<Void> stopLoop() {
        if (verticle != null) {
            verticle.close();
            verticle = null;
        }
        EventLoop started = loop;
        Python own = interpreter;
        loop = null;
        interpreter = null;
        if (started == null && own == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            if (started != null) {
                started.close();
            }
            if (own != null) {
                own.close();
            }
            return null;
        });
    }

    @Override
    public String toString() {
        return "PythonVerticle[" + module + ", " + eventLoop() + (isolated() ? ", isolated" : "") + "]";
    }
}
