package dev.jawait.internal.async;

/**
 * Whether a value is of a Vert.x type, answered without linking to Vert.x, which is optional:
 * {@link VertxSupport}, which names Vert.x types, is loaded only once one of these says yes.
 */
public final class OptionalVertx {
    private OptionalVertx() {}

    private static final Class<?> FUTURE = find("io.vertx.core.Future");
    private static final Class<?> READ_STREAM = find("io.vertx.core.streams.ReadStream");
    private static final Class<?> BUFFER = find("io.vertx.core.buffer.Buffer");
    private static final Class<?> JSON_OBJECT = find("io.vertx.core.json.JsonObject");
    private static final Class<?> JSON_ARRAY = find("io.vertx.core.json.JsonArray");

    private static Class<?> find(String name) {
        try {
            return Class.forName(name, false, OptionalVertx.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    public static boolean isFuture(Object value) {
        return FUTURE != null && FUTURE.isInstance(value);
    }

    public static boolean isReadStream(Object value) {
        return READ_STREAM != null && READ_STREAM.isInstance(value);
    }

    /** Whether values of {@code type} are Vert.x futures (Future, or a subtype such as Timer). */
    public static boolean isFutureType(Class<?> type) {
        return FUTURE != null && FUTURE.isAssignableFrom(type);
    }

    public static boolean isReadStreamType(Class<?> type) {
        return READ_STREAM != null && READ_STREAM.isAssignableFrom(type);
    }

    /** {@code io.vertx.core.Future}, or null without Vert.x. */
    public static Class<?> futureClass() {
        return FUTURE;
    }

    /** {@code io.vertx.core.streams.ReadStream}, or null without Vert.x. */
    public static Class<?> readStreamClass() {
        return READ_STREAM;
    }

    public static boolean isBuffer(Object value) {
        return BUFFER != null && BUFFER.isInstance(value);
    }

    public static boolean isJsonObject(Object value) {
        return JSON_OBJECT != null && JSON_OBJECT.isInstance(value);
    }

    public static boolean isJsonArray(Object value) {
        return JSON_ARRAY != null && JSON_ARRAY.isInstance(value);
    }
}
