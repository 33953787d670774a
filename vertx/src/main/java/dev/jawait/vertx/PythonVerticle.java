package dev.jawait.vertx;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import dev.jawait.vertx.internal.BusEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * A Python module deployed as a Vert.x verticle. The module defines {@code async def start(verticle)}
 * and may define {@code async def stop(verticle)}; they are awaited as the verticle's start and
 * stop, and {@code verticle} gives them the deployment's config, its event bus and more (see the
 * Python class {@code jawait.vertx.Verticle}).
 *
 * <pre>{@code
 * vertx.deployVerticle(new PythonVerticle("app.pricing", "trio"), new DeploymentOptions().setConfig(config));
 * vertx.deployVerticle(() -> new PythonVerticle("app.pricing"), new DeploymentOptions().setInstances(4));
 * }</pre>
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
 * loop and a {@code verticle} object, but share the module's globals and the one interpreter of
 * the JVM, so they take turns holding its GIL: several instances help when handlers await I/O, not
 * for CPU-bound Python code. Vert.x threads never wait for the GIL: Python start-up, the loop's own
 * start and its stop run on Vert.x worker threads, and everything else is handed to the loop.
 */
public class PythonVerticle extends VerticleBase {
    private final String module;
    private final String eventLoop;
    private EventLoop loop;
    private PyObject verticle;

    /** The module {@code module} (such as "app.pricing"), on an asyncio event loop. */
    public PythonVerticle(String module) {
        this(module, "asyncio");
    }

    /** The module {@code module}, on an event loop of {@code eventLoop}: "asyncio", "uvloop" or "trio". */
    public PythonVerticle(String module, String eventLoop) {
        if (module == null || module.isBlank()) {
            throw new IllegalArgumentException("a PythonVerticle needs the name of a Python module, such as app.pricing");
        }
        this.module = module;
        this.eventLoop = eventLoop;
    }

    /** The Python module this verticle runs. */
    public String module() {
        return module;
    }

    /** "asyncio", "uvloop" or "trio". */
    public String eventLoop() {
        return eventLoop;
    }

    @Override
    public Future<?> start() {
        BusEndpoint endpoint = new BusEndpoint(vertx, context);
        return vertx.executeBlocking(() -> {
            Python python = Python.current().orElseGet(Python::get);
            python.register(new VertxModules());
            loop = EventLoop.start(python, eventLoop);
            return loop;
        }).compose(started -> Future.fromCompletionStage(started.submit("jawait.vertx._verticle.start", module,
                config(), deploymentID(), endpoint, vertx), context)).transform(outcome -> {
                    if (outcome.succeeded()) {
                        verticle = (PyObject) outcome.result();
                        return Future.succeededFuture();
                    }
                    return stopLoop().transform(stopped -> Future.failedFuture(outcome.cause()));
                });
    }

    @Override
    public Future<?> stop() {
        return Future.fromCompletionStage(loop.submit("jawait.vertx._verticle.stop", verticle), context)
                .transform(outcome -> stopLoop().transform(stopped -> outcome.succeeded() && stopped.succeeded()
                        ? Future.succeededFuture() : Future.failedFuture(outcome.succeeded() ? stopped.cause() : outcome.cause())));
    }

    /** Stops the loop (waiting for its thread, so on a worker), releasing the Python verticle. */
    private Future<Void> stopLoop() {
        if (verticle != null) {
            verticle.close();
            verticle = null;
        }
        EventLoop started = loop;
        if (started == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            started.close();
            return null;
        });
    }

    @Override
    public String toString() {
        return "PythonVerticle[" + module + ", " + eventLoop + "]";
    }
}
