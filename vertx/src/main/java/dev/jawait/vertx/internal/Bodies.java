package dev.jawait.vertx.internal;

import dev.jawait.PyObject;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Message bodies and headers between Python and the event bus. Python's values arrive in their
 * natural Java form (dict as Map, list as List, bytes as byte[], other objects as PyObject): JSON
 * data becomes a JsonObject, JsonArray or scalar, so that Java consumers read it natively, and
 * bytes a Buffer. What cannot travel is refused before anything is sent, with a message that
 * names the culprit, where it sits and the address.
 */
final class Bodies {
    private Bodies() {}

    private static final String WHAT_TRAVELS =
            "event bus bodies are JSON values (dict with str keys, list, str, " + "int, float, bool, None) or bytes";

    /** A body that cannot travel: what it is and why, to be said with what was attempted. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final String why;

        Refused(String what, String why) {
            super(null, null, false, false);
            this.what = what;
            this.why = why;
        }

        /** "cannot {verb} {what} {target}: {why}", such as "cannot send a body of type set to 'prices': ...". */
        String message(String verb, String target) {
            return "cannot " + verb + " " + what + " " + target + ": " + why;
        }
    }

    /** Headers that are not a dict of str to str. */
    static final class BadHeaders extends Exception {
        private static final long serialVersionUID = 1L;

        BadHeaders(String message) {
            super(message, null, false, false);
        }
    }

    /** What was found instead of JSON, and where (built on the way out of the nesting). */
    private static final class NotJson extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String what;
        String path = "";

        NotJson(String what) {
            super(null, null, false, false);
            this.what = what;
        }
    }

    /** {@code body} as the event bus carries it. */
    static Object encode(Object body) throws Refused {
        if (body == null
                || body instanceof String
                || body instanceof Boolean
                || body instanceof Long
                || body instanceof Double
                || body instanceof JsonObject
                || body instanceof JsonArray
                || body instanceof Buffer) {
            return body;
        }
        if (body instanceof byte[] bytes) {
            return Buffer.buffer(bytes);
        }
        if (body instanceof BigInteger) {
            throw new Refused(
                    "an int beyond 64 bits",
                    "a body that is a number is a Java long or double; put a " + "bigger int inside a dict or list");
        }
        try {
            if (body instanceof Map<?, ?> map) {
                return new JsonObject(checkedEntries(map));
            }
            if (body instanceof List<?> list) {
                checkItems(list);
                @SuppressWarnings("unchecked")
                List<Object> items = (List<Object>) list;
                return new JsonArray(items);
            }
        } catch (NotJson e) {
            throw new Refused(
                    "a " + describe(body) + " with " + e.what + (e.path.isEmpty() ? "" : " at " + e.path),
                    WHAT_TRAVELS);
        }
        throw new Refused("a body of type " + describe(body), WHAT_TRAVELS);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> checkedEntries(Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new NotJson("a key of type " + describe(entry.getKey()) + " (" + entry.getKey() + ")");
            }
            try {
                checkValue(entry.getValue());
            } catch (NotJson e) {
                e.path = "['" + key + "']" + e.path;
                throw e;
            }
        }
        return (Map<String, Object>) map;
    }

    private static void checkItems(List<?> items) {
        for (int i = 0; i < items.size(); i++) {
            try {
                checkValue(items.get(i));
            } catch (NotJson e) {
                e.path = "[" + i + "]" + e.path;
                throw e;
            }
        }
    }

    private static void checkValue(Object value) {
        if (value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Long
                || value instanceof Double
                || value instanceof BigInteger
                || value instanceof JsonObject
                || value instanceof JsonArray) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            checkedEntries(map);
        } else if (value instanceof List<?> list) {
            checkItems(list);
        } else {
            throw new NotJson("a value of type " + describe(value));
        }
    }

    /** The Python type of a value in its natural Java form, for messages. */
    private static String describe(Object value) {
        if (value == null) {
            return "NoneType";
        }
        if (value instanceof PyObject object) {
            return object.typeName();
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof Map || value instanceof JsonObject) { // JsonObject: as a packed request decodes a dict
            return "dict";
        }
        if (value instanceof List || value instanceof JsonArray) {
            return "list";
        }
        if (value instanceof Set) {
            return "set";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        return "Java " + value.getClass().getName();
    }

    /** Delivery options with {@code headers} (a dict of str to str, or None) and {@code timeoutMillis} if positive. */
    static DeliveryOptions options(Object headers, long timeoutMillis, String address) throws BadHeaders {
        DeliveryOptions options = new DeliveryOptions();
        if (timeoutMillis > 0) {
            options.setSendTimeout(timeoutMillis);
        }
        if (headers == null) {
            return options;
        }
        if (!(headers instanceof Map<?, ?> map)) {
            throw new BadHeaders(
                    "headers for '" + address + "' must be a dict of str to str, not " + describe(headers));
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw new BadHeaders(
                        "headers for '" + address + "' must be a dict of str to str, not a dict with a key "
                                + "of type " + describe(entry.getKey()) + " (" + entry.getKey() + ")");
            }
            if (!(entry.getValue() instanceof String value)) {
                throw new BadHeaders("headers for '" + address + "' must be a dict of str to str, not a dict with a "
                        + "value of type " + describe(entry.getValue()) + " at ['" + name + "']");
            }
            options.addHeader(name, value);
        }
        return options;
    }

    /** A message's headers as a dict (the first value of a repeated name), or null when it has none. */
    static Map<String, String> headers(MultiMap headers) {
        if (headers.isEmpty()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        headers.forEach((name, value) -> map.putIfAbsent(name, value));
        return map;
    }
}
