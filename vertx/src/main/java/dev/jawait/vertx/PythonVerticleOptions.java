package dev.jawait.vertx;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * How a Python verticle runs: its event loop ({@code "asyncio"}, the default, {@code "uvloop"} or
 * {@code "trio"}) and whether each instance runs in an isolated interpreter of its own (CPython
 * 3.12+). A deployment by name carries them in its config, under {@value #CONFIG_KEY}:
 *
 * <pre>{@code
 * vertx.deployVerticle("python:app.pricing", new PythonVerticleOptions().setLoop("trio")
 *         .applyTo(new DeploymentOptions().setConfig(config).setInstances(4)));
 * // the same, written out: config {"rate": 4.5, "jawait": {"loop": "trio", "isolated": false}}
 * }</pre>
 *
 * The Python module's {@code verticle.config} is the config without that entry.
 */
public final class PythonVerticleOptions {
    /** The config entry that holds these options in a deployment by name ({@code "python:module"}). */
    public static final String CONFIG_KEY = "jawait";

    private String loop = "asyncio";
    private boolean isolated;

    /** asyncio, in the main interpreter. */
    public PythonVerticleOptions() {}

    /**
     * The options in {@code json} ({@code {"loop": "trio", "isolated": true}}); missing ones keep
     * their defaults.
     *
     * @throws IllegalArgumentException for an unknown loop, a value of the wrong type or an unknown entry
     */
    public PythonVerticleOptions(JsonObject json) {
        for (String key : json.fieldNames()) {
            Object value = json.getValue(key);
            switch (key) {
                case "loop" -> {
                    if (!(value instanceof String name)) {
                        throw new IllegalArgumentException(
                                where(key) + " must be a string (asyncio, uvloop or trio), not " + value);
                    }
                    setLoop(name);
                }
                case "isolated" -> {
                    if (!(value instanceof Boolean flag)) {
                        throw new IllegalArgumentException(where(key) + " must be true or false, not " + value);
                    }
                    setIsolated(flag);
                }
                default ->
                    throw new IllegalArgumentException("unknown entry '" + key + "' in a Python verticle's \""
                            + CONFIG_KEY + "\" config: it takes loop and isolated");
            }
        }
    }

    private static String where(String key) {
        return "the Python verticle's config entry \"" + CONFIG_KEY + "\"." + key;
    }

    /** The options in a deployment's config ({@value #CONFIG_KEY} entry), or the defaults if it has none. */
    public static PythonVerticleOptions fromConfig(JsonObject config) {
        Object entry = config == null ? null : config.getValue(CONFIG_KEY);
        if (entry == null) {
            return new PythonVerticleOptions();
        }
        if (!(entry instanceof JsonObject json)) {
            throw new IllegalArgumentException("a Python verticle's config entry \"" + CONFIG_KEY
                    + "\" must be an object " + "such as {\"loop\": \"trio\", \"isolated\": false}, not " + entry);
        }
        return new PythonVerticleOptions(json);
    }

    /** The event loop of each instance: "asyncio", "uvloop" or "trio". */
    public String getLoop() {
        return loop;
    }

    /**
     * Sets the event loop of each instance: "asyncio", "uvloop" or "trio", or another that a backend on
     * the class path runs (deploying fails with an IllegalStateException naming the ones there are).
     *
     * @throws IllegalArgumentException for a blank name
     */
    public PythonVerticleOptions setLoop(String loop) {
        if (loop == null || loop.isBlank()) {
            throw new IllegalArgumentException(
                    "a Python verticle's loop is a name such as asyncio, uvloop or trio, not "
                            + (loop == null ? "null" : "'" + loop + "'"));
        }
        this.loop = loop;
        return this;
    }

    /** Whether each instance runs in an isolated interpreter of its own. */
    public boolean isIsolated() {
        return isolated;
    }

    /**
     * Runs each instance in an isolated interpreter of its own (CPython 3.12+; deploying fails with an
     * UnsupportedOperationException on older Pythons), so that instances run Python in parallel.
     */
    public PythonVerticleOptions setIsolated(boolean isolated) {
        this.isolated = isolated;
        return this;
    }

    /** {@code {"loop": ..., "isolated": ...}}. */
    public JsonObject toJson() {
        return new JsonObject().put("loop", loop).put("isolated", isolated);
    }

    /** Puts these options into {@code options}' config (a copy of it, or a new one), and returns {@code options}. */
    public DeploymentOptions applyTo(DeploymentOptions options) {
        JsonObject config = options.getConfig() == null
                ? new JsonObject()
                : options.getConfig().copy();
        return options.setConfig(config.put(CONFIG_KEY, toJson()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PythonVerticleOptions o && o.loop.equals(loop) && o.isolated == isolated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(loop, isolated);
    }

    @Override
    public String toString() {
        return toJson().encode();
    }
}
