package dev.jawait.vertx.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event bus bodies in the format of Python's {@code marshal} module, version 2, which CPython writes
 * and reads in C: a batch of bodies crosses between Java and Python as one {@code bytes}, where
 * converting each dict and str through the C API costs a call per value. Only JSON data travels this
 * way (dict with str keys, list, tuple, str, int, float, bool, None; bytes as a whole body); for
 * anything else both directions say so and the caller takes the per-object path, whose conversions
 * and error messages stay the reference ({@link Bodies}, jawait's converters).
 *
 * <p>Version 2 of the format has no back-references and writes every str as UTF-8 ({@code 'u'}),
 * alike on CPython 3.9 to 3.13. Java writes a short ASCII str as version 4's {@code 'z'}, which
 * {@code marshal.loads} reads whatever version it was written in, and which needs no UTF-8 pass on
 * either side.
 */
final class MarshalledBodies {
    private MarshalledBodies() {}

    private static final byte NULL = '0';
    private static final byte NONE = 'N';
    private static final byte FALSE = 'F';
    private static final byte TRUE = 'T';
    private static final byte INT = 'i';
    private static final byte LONG = 'l';
    private static final byte BINARY_FLOAT = 'g';
    private static final byte STRING = 's';
    private static final byte UNICODE = 'u';
    private static final byte SHORT_ASCII = 'z';
    private static final byte TUPLE = '(';
    private static final byte LIST = '[';
    private static final byte DICT = '{';
    private static final byte ELLIPSIS = '.';
    /** Deeper nesting takes the per-object path, which knows how to refuse a cycle. */
    private static final int MAX_DEPTH = 64;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** What is not JSON data, or not in the format: the caller takes the per-object path. */
    static final class NotJson extends Exception {
        private static final long serialVersionUID = 1L;

        NotJson() {
            super(null, null, false, false);
        }
    }

    private static final NotJson NOT_JSON = new NotJson();

    // ---- Python to Java ------------------------------------------------------------------------

    /**
     * A turn's replies: reply {@code i} answers message {@code indexes[i]} of target
     * {@code targets[i]} (a position in the list of targets that came with them) with the body that
     * starts at {@code bodies[i]} in {@code data}. The bodies were checked, and are decoded by
     * {@link #body} where they are sent: not on the Python thread, which Python's loop waits for.
     */
    record Replies(int[] targets, int[] indexes, int[] bodies, byte[] data) {
        /** Reply {@code i}'s body as the event bus carries it (see {@link #checkReplies}). */
        Object body(int i) {
            try {
                return new Reader(data, bodies[i]).body();
            } catch (NotJson e) { // checkReplies read it through
                throw new IllegalStateException("a reply body that was checked could not be decoded", e);
            }
        }
    }

    /**
     * The replies of {@code marshal.dumps([None, index, body, index, body, None, index, body, ...], 2)},
     * where each None moves on to the next target; each body checked to decode as the event bus
     * carries it (as {@link Bodies#encode} makes them: JsonObject, JsonArray, String, Long, Double,
     * Boolean, null, and Buffer for a bytes body).
     */
    static Replies checkReplies(byte[] data) throws NotJson {
        Reader reader = new Reader(data, 0);
        if (reader.type() != LIST) {
            throw NOT_JSON;
        }
        int size = reader.size();
        int[] targets = new int[size / 2];
        int[] indexes = new int[size / 2];
        int[] bodies = new int[size / 2];
        int count = 0;
        int target = -1;
        for (int read = 0; read < size; read++) {
            byte type = reader.type();
            if (type == NONE) {
                target++;
                continue;
            }
            if (type != INT || target < 0 || ++read == size) {
                throw NOT_JSON;
            }
            targets[count] = target;
            indexes[count] = reader.int32();
            bodies[count++] = reader.position;
            reader.skipBody();
        }
        if (reader.position != data.length) {
            throw NOT_JSON;
        }
        return new Replies(
                Arrays.copyOf(targets, count), Arrays.copyOf(indexes, count), Arrays.copyOf(bodies, count), data);
    }

    /**
     * A request of a batch: {@code address} in UTF-8 as marshal wrote it (see {@link #text}),
     * {@code message} {@code marshal.dumps((body, headers), 2)}.
     */
    record Request(int id, byte[] address, byte[] message, double timeoutSeconds) {}

    /** Strict UTF-8, as the format holds a str; NotJson for a lone surrogate, which no Java String should hold. */
    static String text(byte[] utf8) throws NotJson {
        return Reader.text(utf8, 0, utf8.length);
    }

    /** The requests of {@code marshal.dumps([id, address, message, timeout, id, ...], 2)}; ids and timeouts as Python's _bus writes them. */
    static List<Request> decodeRequests(byte[] data) throws NotJson {
        Reader reader = new Reader(data, 0);
        if (reader.type() != LIST) {
            throw NOT_JSON;
        }
        int size = reader.size();
        if (size % 4 != 0) {
            throw NOT_JSON;
        }
        List<Request> requests = new ArrayList<>(size / 4);
        for (int i = 0; i < size; i += 4) {
            int id = reader.expect(INT).int32();
            byte[] address = reader.expect(UNICODE).bytes();
            byte[] message = reader.expect(STRING).bytes();
            byte timeoutType = reader.type();
            double timeout;
            if (timeoutType == BINARY_FLOAT) {
                timeout = reader.float64();
            } else if (timeoutType == INT) {
                timeout = reader.int32();
            } else {
                throw NOT_JSON;
            }
            requests.add(new Request(id, address, message, timeout));
        }
        if (reader.position != data.length) {
            throw NOT_JSON;
        }
        return requests;
    }

    /**
     * The body and headers of {@code marshal.dumps((body, headers), 2)}: the body as {@link
     * Replies#body} makes each, the headers as a map (null for None; what is not a dict is
     * returned as it is, for {@link Bodies#options} to refuse).
     */
    static Object[] decodeMessage(byte[] data) throws NotJson {
        Reader reader = new Reader(data, 0);
        if (reader.type() != TUPLE || reader.size() != 2) {
            throw NOT_JSON;
        }
        Object body = reader.body();
        Object headers = reader.value(reader.type(), 0);
        if (reader.position != data.length) {
            throw NOT_JSON;
        }
        return new Object[] {body, headers instanceof JsonObject map ? map.getMap() : headers};
    }

    private static final class Reader {
        private final ByteBuffer in;
        private int position;

        Reader(byte[] data, int position) {
            in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            this.position = position;
        }

        byte type() throws NotJson {
            need(1);
            return in.get(position++);
        }

        /** Reads a type code, which must be {@code type}. */
        Reader expect(byte type) throws NotJson {
            if (type() != type) {
                throw NOT_JSON;
            }
            return this;
        }

        double float64() throws NotJson {
            need(8);
            double value = in.getDouble(position);
            position += 8;
            return value;
        }

        int int32() throws NotJson {
            need(4);
            int value = in.getInt(position);
            position += 4;
            return value;
        }

        int size() throws NotJson {
            need(4);
            int size = in.getInt(position);
            position += 4;
            if (size < 0 || size > in.capacity() - position) {
                throw NOT_JSON;
            }
            return size;
        }

        private void need(int bytes) throws NotJson {
            if (in.capacity() - position < bytes) {
                throw NOT_JSON;
            }
        }

        /** A whole body: a bytes body is a Buffer; an int beyond 64 bits is not a body. */
        Object body() throws NotJson {
            return body(true);
        }

        /** Reads past a whole body, failing where {@link #body()} would, and building nothing. */
        void skipBody() throws NotJson {
            body(false);
        }

        private Object body(boolean build) throws NotJson {
            byte type = type();
            if (type == STRING) {
                if (build) {
                    return Buffer.buffer(bytes());
                }
                position += size();
                return null;
            }
            Object value = value(type, 0, build);
            if (value instanceof BigInteger) {
                throw NOT_JSON;
            }
            return value;
        }

        Object value(byte type, int depth) throws NotJson {
            return value(type, depth, true);
        }

        /**
         * A value, or with {@code build} false only read past (null, but for numbers): either way it
         * fails where the other would, so that what was checked decodes.
         */
        private Object value(byte type, int depth, boolean build) throws NotJson {
            if (depth > MAX_DEPTH) {
                throw NOT_JSON;
            }
            switch (type) {
                case NONE:
                    return null;
                case TRUE:
                    return Boolean.TRUE;
                case FALSE:
                    return Boolean.FALSE;
                case INT:
                    return (long) int32();
                case LONG:
                    return longValue();
                case BINARY_FLOAT:
                    return float64();
                case UNICODE:
                    return str(build);
                case LIST:
                case TUPLE: {
                    int size = size();
                    JsonArray array = build ? new JsonArray(new ArrayList<>(size)) : null;
                    for (int i = 0; i < size; i++) {
                        Object item = value(type(), depth + 1, build);
                        if (build) {
                            array.add(item);
                        }
                    }
                    return array;
                }
                case DICT: {
                    Map<String, Object> entries = build ? new LinkedHashMap<>() : null;
                    while (true) {
                        byte keyType = type();
                        if (keyType == NULL) {
                            return build ? new JsonObject(entries) : null;
                        }
                        if (keyType != UNICODE) {
                            throw NOT_JSON; // a key that is not a str
                        }
                        String key = str(build);
                        Object value = value(type(), depth + 1, build);
                        if (build) {
                            entries.put(key, value);
                        }
                    }
                }
                default:
                    throw NOT_JSON; // set, complex, nested bytes and the rest: the per-object path refuses them
            }
        }

        byte[] bytes() throws NotJson {
            int size = size();
            byte[] bytes = new byte[size];
            in.get(position, bytes);
            position += size;
            return bytes;
        }

        /** A str's UTF-8, read in place and checked; built only with {@code build}. */
        private String str(boolean build) throws NotJson {
            int size = size();
            String text = build || !isAscii(in.array(), position, size) ? text(in.array(), position, size) : null;
            position += size;
            return text;
        }

        /** Strict UTF-8: marshal passes lone surrogates through, which no Java String should hold. */
        private static String text(byte[] data, int offset, int length) throws NotJson {
            if (isAscii(data, offset, length)) {
                return new String(data, offset, length, StandardCharsets.ISO_8859_1);
            }
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data, offset, length))
                        .toString();
            } catch (CharacterCodingException e) {
                throw NOT_JSON;
            }
        }

        /** CPython's digits: a signed count, then that many base-2^15 digits, least significant first. */
        private Object longValue() throws NotJson {
            need(4);
            int count = in.getInt(position);
            position += 4;
            int digits = Math.abs(count);
            need(2 * digits);
            BigInteger value = BigInteger.ZERO;
            for (int i = digits - 1; i >= 0; i--) {
                int digit = in.getShort(position + 2 * i) & 0xFFFF;
                value = value.shiftLeft(15).or(BigInteger.valueOf(digit));
            }
            position += 2 * digits;
            if (count < 0) {
                value = value.negate();
            }
            if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
                return value.longValue();
            }
            return value;
        }
    }

    // ---- Java to Python ------------------------------------------------------------------------

    /**
     * A delivered message as an entry of a batch: the tuple {@code (body, headers or None, whether
     * its sender waits for a reply)}. A body that is not JSON data (or headers that are not in the
     * format) make the entry {@code (Ellipsis, None, ...)}: Python asks for that message's body and
     * headers by its index, and jawait's converters hand them over.
     */
    static byte[] entry(Object body, Map<String, String> headers, boolean expectsReply) {
        Writer out = new Writer();
        out.write(TUPLE);
        out.int32(3);
        out.message(body, headers);
        out.write(expectsReply ? TRUE : FALSE);
        return out.toByteArray();
    }

    /**
     * A reply as an entry of a batch of replies: most replies, JSON data with no headers that expect
     * no answer, as {@code (request id, body)}; any other as {@code (request id, body, headers or
     * None, None, whether the replier waits for an answer)}, the body and headers as in {@link #entry}.
     */
    static byte[] replyEntry(int id, Object body, Map<String, String> headers, boolean expectsReply) {
        Writer out = new Writer();
        if (headers == null && !expectsReply) {
            out.write(TUPLE);
            out.int32(2);
            out.integer(id);
            try {
                out.body(body);
                return out.toByteArray();
            } catch (NotJson e) {
                out = new Writer();
            }
        }
        out.write(TUPLE);
        out.int32(5);
        out.integer(id);
        out.message(body, headers);
        out.write(NONE);
        out.write(expectsReply ? TRUE : FALSE);
        return out.toByteArray();
    }

    /**
     * A request that got no reply as an entry of a batch of replies: {@code (request id, None, None,
     * failure, False)}, the failure being what is wrong with the request (a String), or that its
     * body is not JSON data (false: Python sends it object by object, which says why), or what
     * failed it ({@code [type, code, text]}). Texts cross with any lone surrogate replaced.
     */
    static byte[] failureEntry(int id, Object failure) {
        Writer out = new Writer();
        out.write(TUPLE);
        out.int32(5);
        out.integer(id);
        out.write(NONE);
        out.write(NONE);
        if (failure instanceof Object[] reason) {
            out.write(TUPLE);
            out.int32(3);
            out.text((String) reason[0]);
            out.integer(((Number) reason[1]).longValue());
            out.text((String) reason[2]); // null (no message) as None
        } else if (failure instanceof String problem) {
            out.text(problem);
        } else {
            out.write(failure == Boolean.TRUE ? TRUE : FALSE);
        }
        out.write(FALSE);
        return out.toByteArray();
    }

    /** The list of {@code entries} ({@link #entry}), one {@code bytes} for Python's {@code marshal.loads}. */
    static byte[] batch(List<byte[]> entries) {
        int size = 5;
        for (byte[] entry : entries) {
            size += entry.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(LIST).putInt(entries.size());
        for (byte[] entry : entries) {
            out.put(entry);
        }
        return out.array();
    }

    /** A body as handed to Python: {@link #encode encoded} when it can be ({@code packed}), else as it is. */
    record Packed(Object data, boolean packed) {
        static Packed of(Object body) {
            try {
                return new Packed(encode(body), true);
            } catch (NotJson e) {
                return new Packed(body, false);
            }
        }
    }

    /**
     * {@code body} in the format, as jawait's converters would hand it to Python (JsonObject and Map
     * as dict, JsonArray and List as list, Buffer and byte[] as bytes); throws NotJson for anything
     * else, such as a Java object sent with a codec of its own.
     */
    static byte[] encode(Object body) throws NotJson {
        Writer out = new Writer();
        out.body(body);
        return out.toByteArray();
    }

    /**
     * A growing byte array, not a {@code ByteArrayOutputStream}: that one's writes are synchronized,
     * and a small body is dozens of them.
     */
    private static final class Writer {
        private byte[] buffer = new byte[64];
        private int count;

        /** A body and its headers, or Ellipsis and None when either is not in the format. */
        void message(Object body, Map<String, String> headers) {
            int start = count;
            try {
                body(body);
                if (headers == null) {
                    write(NONE);
                } else {
                    value(headers, 0);
                }
            } catch (NotJson e) {
                count = start;
                write(ELLIPSIS);
                write(NONE);
            }
        }

        void body(Object body) throws NotJson {
            if (body instanceof Buffer buffer) {
                bytes(STRING, buffer.getBytes());
            } else if (body instanceof byte[] bytes) {
                bytes(STRING, bytes);
            } else {
                value(body, 0);
            }
        }

        void value(Object value, int depth) throws NotJson {
            if (depth > MAX_DEPTH) {
                throw NOT_JSON;
            }
            if (value == null) {
                write(NONE);
            } else if (value instanceof String text) {
                str(text);
            } else if (value instanceof Boolean flag) {
                write(flag ? TRUE : FALSE);
            } else if (value instanceof Integer
                    || value instanceof Long
                    || value instanceof Short
                    || value instanceof Byte) {
                integer(((Number) value).longValue());
            } else if (value instanceof Double || value instanceof Float) {
                write(BINARY_FLOAT);
                long bits = Double.doubleToRawLongBits(((Number) value).doubleValue());
                int32((int) bits);
                int32((int) (bits >>> 32));
            } else if (value instanceof JsonObject json) {
                map(json.getMap(), depth);
            } else if (value instanceof Map<?, ?> map) {
                map(map, depth);
            } else if (value instanceof JsonArray json) {
                list(json.getList(), depth);
            } else if (value instanceof List<?> list) {
                list(list, depth);
            } else {
                throw NOT_JSON; // BigInteger, Instant, byte[] inside, a Java object: the converters decide
            }
        }

        private void map(Map<?, ?> map, int depth) throws NotJson {
            write(DICT);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw NOT_JSON;
                }
                str(key);
                value(entry.getValue(), depth + 1);
            }
            write(NULL);
        }

        private void list(List<?> list, int depth) throws NotJson {
            write(LIST);
            int32(list.size());
            for (Object item : list) {
                value(item, depth + 1);
            }
        }

        void integer(long value) {
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                write(INT);
                int32((int) value);
                return;
            }
            // CPython's digits, base 2^15, least significant first; the sign on the count.
            long magnitude = Math.abs(value); // Long.MIN_VALUE stays negative: read unsigned below
            int digits = 0;
            short[] digit = new short[5];
            for (long rest = magnitude; rest != 0; rest >>>= 15) {
                digit[digits++] = (short) (rest & 0x7FFF);
            }
            write(LONG);
            int32(value < 0 ? -digits : digits);
            for (int i = 0; i < digits; i++) {
                write(digit[i] & 0xFF);
                write((digit[i] >>> 8) & 0xFF);
            }
        }

        /**
         * A str: up to 255 ASCII characters as a short ASCII str, written as they are read (most
         * keys and many values); anything else as UTF-8. A lone surrogate, which UTF-8 cannot hold,
         * takes the converters' path (and their error).
         */
        private void str(String text) throws NotJson {
            int length = text.length();
            if (length <= 0xFF) {
                room(2 + length);
                int start = count;
                buffer[count++] = SHORT_ASCII;
                buffer[count++] = (byte) length;
                int i = 0;
                while (i < length && text.charAt(i) < 0x80) {
                    buffer[count++] = (byte) text.charAt(i++);
                }
                if (i == length) {
                    return;
                }
                count = start;
            }
            bytes(UNICODE, utf8(text));
        }

        /** A str, any lone surrogate replaced (for texts that must cross whatever they hold); null as None. */
        void text(String text) {
            if (text == null) {
                write(NONE);
            } else {
                bytes(UNICODE, text.getBytes(StandardCharsets.UTF_8));
            }
        }

        void bytes(byte type, byte[] bytes) {
            write(type);
            int32(bytes.length);
            room(bytes.length);
            System.arraycopy(bytes, 0, buffer, count, bytes.length);
            count += bytes.length;
        }

        void int32(int value) {
            room(4);
            buffer[count++] = (byte) value;
            buffer[count++] = (byte) (value >>> 8);
            buffer[count++] = (byte) (value >>> 16);
            buffer[count++] = (byte) (value >>> 24);
        }

        void write(int b) {
            room(1);
            buffer[count++] = (byte) b;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, count);
        }

        private void room(int bytes) {
            if (bytes > buffer.length - count) {
                buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, count + bytes));
            }
        }

        private static byte[] utf8(String text) throws NotJson {
            try {
                ByteBuffer encoded = StandardCharsets.UTF_8
                        .newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .encode(CharBuffer.wrap(text));
                byte[] bytes = new byte[encoded.remaining()];
                encoded.get(bytes);
                return bytes;
            } catch (CharacterCodingException e) {
                throw NOT_JSON;
            }
        }
    }

    private static boolean isAscii(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (data[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
