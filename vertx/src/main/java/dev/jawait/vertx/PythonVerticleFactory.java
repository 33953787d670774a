package dev.jawait.vertx;

import io.vertx.core.Deployable;
import io.vertx.core.Promise;
import io.vertx.core.spi.VerticleFactory;
import java.util.concurrent.Callable;

/**
 * Deploys Python modules by name, as Vert.x deploys verticles of other languages:
 * {@code vertx.deployVerticle("python:app.pricing", new DeploymentOptions().setConfig(config))}.
 * Registered with ServiceLoader, so a jawait-vertx jar on the class path is all it takes. The
 * event loop and isolation come from the config's {@value PythonVerticleOptions#CONFIG_KEY} entry
 * ({@link PythonVerticleOptions}); each instance is a {@link PythonVerticle}.
 */
public final class PythonVerticleFactory implements VerticleFactory {
    /** The prefix of the names this factory deploys: {@code python:module}. */
    public static final String PREFIX = "python";

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    public void createVerticle2(
            String verticleName, ClassLoader classLoader, Promise<Callable<? extends Deployable>> promise) {
        String module = VerticleFactory.removePrefix(verticleName);
        if (module.isBlank() || !module.matches("[\\p{L}_][\\p{L}\\p{N}_]*(\\.[\\p{L}_][\\p{L}\\p{N}_]*)*")) {
            promise.fail(new IllegalArgumentException("'" + verticleName + "' does not name a Python module: deploy "
                    + "python:package.module, such as python:app.pricing"));
            return;
        }
        promise.complete(() -> new PythonVerticle(module, (PythonVerticleOptions) null));
    }
}
