package dev.jawait;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.testing.TestPython;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConversionTest {
    private final Python python = TestPython.get();

    /** Java value -> Python (checked by a Python expression) -> natural Java value. */
    private Object roundTrip(Object value, String pythonCheck) {
        return python.attach(py -> {
            try (PyObject check = py.eval("lambda v: " + pythonCheck);
                    PyObject converted = py.toPython(value);
                    PyObject ok = check.call(converted)) {
                assertTrue(ok.isTrue(), () -> "Python saw " + converted.repr() + ", expected " + pythonCheck);
                return converted.toJava();
            }
        });
    }

    @Test
    void scalarsRoundTrip() {
        assertNull(roundTrip(null, "v is None"));
        assertEquals(true, roundTrip(true, "v is True"));
        assertEquals(false, roundTrip(false, "v is False"));
        assertEquals(42L, roundTrip(42, "type(v) is int and v == 42"));
        assertEquals(Long.MIN_VALUE, roundTrip(Long.MIN_VALUE, "v == -2**63"));
        assertEquals(-7L, roundTrip((short) -7, "v == -7"));
        assertEquals(1.5, roundTrip(1.5, "type(v) is float and v == 1.5"));
        assertEquals(0.25, roundTrip(0.25f, "v == 0.25"));
        assertEquals(Double.NaN, roundTrip(Double.NaN, "v != v"));
    }

    @Test
    void integersBeyond64BitsBecomeBigInteger() {
        BigInteger big = BigInteger.TWO.pow(100).negate().add(BigInteger.ONE);
        assertEquals(big, roundTrip(big, "v == -2**100 + 1"));
        assertEquals(BigInteger.TWO.pow(63), roundTrip(BigInteger.TWO.pow(63), "v == 2**63"));
        assertEquals(5L, roundTrip(BigInteger.valueOf(5), "type(v) is int and v == 5"));
    }

    @Test
    void integersBeyondPythonsDecimalTextLimitCrossBothWays() {
        BigInteger huge = BigInteger.TEN.pow(5000).add(BigInteger.valueOf(7));
        assertEquals(huge, roundTrip(huge, "v == 10**5000 + 7"));
        assertEquals(huge.negate(), roundTrip(huge.negate(), "v == -(10**5000 + 7)"));
    }

    @Test
    void noneForAPrimitiveSaysSo() {
        ClassCastException e = assertThrows(
                ClassCastException.class, () -> python.attach(py -> py.none().asLong()));
        assertEquals("cannot convert Python None to long: a Java primitive cannot hold None", e.getMessage());
        assertThrows(
                ClassCastException.class, () -> python.attach(py -> py.none().asDouble()));
    }

    @Test
    void recursiveOrTooDeepValuesAreRefusedWithTheReason() {
        IllegalArgumentException pythonSide = assertThrows(
                IllegalArgumentException.class,
                () -> python.attach(py -> {
                    try (PyObject looped = py.eval("(lambda l: (l.append(l), l)[1])([1])")) {
                        return looped.toJava();
                    }
                }));
        assertEquals("a list that contains itself cannot be converted to Java", pythonSide.getMessage());
        List<Object> javaLoop = new ArrayList<>();
        javaLoop.add(Map.of("k", javaLoop));
        IllegalArgumentException javaSide =
                assertThrows(IllegalArgumentException.class, () -> python.attach(py -> py.toPython(javaLoop)));
        assertEquals("cannot convert a java.util.ArrayList that contains itself to Python", javaSide.getMessage());
        Object deep = List.of();
        for (int i = 0; i < 5000; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        IllegalArgumentException depth =
                assertThrows(IllegalArgumentException.class, () -> python.attach(py -> py.toPython(tooDeep)));
        assertTrue(depth.getMessage().contains("nested deeper than 1000 levels to Python"), depth.getMessage());
        // The same thread converts normally afterwards: the nesting bookkeeping unwound.
        assertEquals(List.of(List.of(1L)), roundTrip(List.of(List.of(1)), "v == [[1]]"));
    }

    @Test
    void textKeepsEveryCodePoint() {
        String text = "h\u00e9llo \u4e16\u754c \ud83d\ude00 \u0000 end";
        assertEquals(text, roundTrip(text, "v == 'h\\u00e9llo \\u4e16\\u754c \\U0001F600 \\x00 end' and len(v) == 16"));
        assertEquals("", roundTrip("", "v == ''"));
        assertEquals("x", roundTrip('x', "v == 'x'"));
    }

    @Test
    void aLoneSurrogateFromJavaIsAClearError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> python.attach(py -> py.toPython("ab\ud800cd")));
        assertTrue(e.getMessage().contains("lone surrogate (\\uD800 at index 2)"), e.getMessage());
    }

    @Test
    void aLoneSurrogateFromPythonIsAClearError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> python.attach(py -> py.eval("'ab\\udc80'").asString()));
        assertTrue(e.getMessage().contains("lone surrogate"), e.getMessage());
        assertTrue(e.getMessage().contains("surrogates not allowed"), e.getMessage());
    }

    @Test
    void bytesRoundTrip() {
        byte[] data = {0, 1, (byte) 0xff, 42};
        assertArrayEquals(data, (byte[]) roundTrip(data, "v == b'\\x00\\x01\\xff*'"));
        assertArrayEquals(new byte[0], (byte[]) roundTrip(new byte[0], "v == b''"));
        assertArrayEquals(
                "ab".getBytes(), python.attach(py -> py.eval("bytearray(b'ab')").as(byte[].class)));
    }

    @Test
    void containersRoundTrip() {
        List<Object> list = Arrays.asList(1L, "two", null, List.of(3.0));
        assertEquals(list, roundTrip(list, "v == [1, 'two', None, [3.0]]"));
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("a", 1L);
        map.put(2L, List.of("b"));
        assertEquals(map, roundTrip(map, "v == {'a': 1, 2: ['b']}"));
        assertEquals(Set.of(1L, 2L), roundTrip(Set.of(1L, 2L), "v == {1, 2}"));
        assertEquals(List.of(1L, 2L), roundTrip(new int[] {1, 2}, "v == [1, 2]"));
        assertEquals(List.of(1L, "x"), python.attach(py -> py.eval("(1, 'x')").toJava()));
        assertEquals(
                Set.of("f"), python.attach(py -> py.eval("frozenset({'f'})").toJava()));
    }

    @Test
    void typedConversionOfGenericContainers() throws Exception {
        Type listOfLongs = ConversionTest.class.getDeclaredMethod("listOfLongs").getGenericReturnType();
        Type mapOfStringToList =
                ConversionTest.class.getDeclaredMethod("mapOfStringToList").getGenericReturnType();
        assertEquals(List.of(1L, 2L), python.attach(py -> py.eval("[1, 2]").as(listOfLongs)));
        assertEquals(
                Map.of("k", List.of(5)),
                python.attach(py -> py.eval("{'k': (5,)}").as(mapOfStringToList)));
        ClassCastException e = assertThrows(
                ClassCastException.class,
                () -> python.attach(py -> py.eval("[1, 'x']").as(listOfLongs)));
        assertTrue(e.getMessage().contains("expected int"), e.getMessage());
    }

    @SuppressWarnings("unused")
    private static List<Long> listOfLongs() {
        return null;
    }

    @SuppressWarnings("unused")
    private static Map<String, List<Integer>> mapOfStringToList() {
        return null;
    }

    @Test
    void typedConversionsAreStrict() {
        ClassCastException notBool = assertThrows(
                ClassCastException.class,
                () -> python.attach(py -> py.eval("True").as(Long.class)));
        assertTrue(notBool.getMessage().contains("bool"), notBool.getMessage());
        assertThrows(
                ClassCastException.class,
                () -> python.attach(py -> py.eval("'1'").as(Long.class)));
        assertThrows(
                ClassCastException.class, () -> python.attach(py -> py.eval("1").as(String.class)));
        ArithmeticException overflow = assertThrows(
                ArithmeticException.class,
                () -> python.attach(py -> py.eval("2**40").as(Integer.class)));
        assertTrue(overflow.getMessage().contains("does not fit in a Java int"), overflow.getMessage());
        assertEquals(3.0, python.attach(py -> py.eval("3").as(Double.class)));
        assertEquals(
                (Object) 3L,
                python.attach(py ->
                        py.eval("__import__('enum').IntEnum('E', 'A B C')(3)").toJava()));
    }

    @Test
    void javaObjectsCrossAsHandlesAndComeBackIdentical() {
        Object token = new Opaque("opaque");
        Object back = python.attach(py -> {
            try (PyObject handle = py.toPython(token);
                    PyObject identity = py.eval("lambda x: x")) {
                assertEquals("JavaObject", handle.typeName());
                assertTrue(
                        handle.repr().contains("dev.jawait.ConversionTest$Opaque: Opaque[name=opaque]"), handle.repr());
                try (PyObject same = identity.call(handle)) {
                    return same.toJava();
                }
            }
        });
        assertSame(token, back);
    }

    record Opaque(String name) {}

    @Test
    void handlesCompareAndHashWithJavaEquality() {
        Object a = new Opaque("one");
        Object b = new Opaque("one");
        Object c = new Opaque("two");
        python.run(py -> {
            try (PyObject equal =
                            py.eval("lambda a, b: a is not b and a == b and hash(a) == hash(b) and len({a, b}) == 1");
                    PyObject differ = py.eval("lambda a, c: a != c and not (a == c)")) {
                assertTrue(equal.call(a, b).isTrue());
                assertTrue(differ.call(a, c).isTrue());
            }
        });
    }

    @Test
    void pythonCannotCreateJavaObjectHandles() {
        PythonException e = assertThrows(
                PythonException.class, () -> python.run(py -> py.exec("import jawait; jawait.JavaObject()")));
        assertEquals("TypeError", e.pythonType());
        assertTrue(e.pythonMessage().contains("Java creates them"), e.pythonMessage());
    }

    @Test
    void vertxJsonBecomesDictsAndLists() {
        JsonObject order = new JsonObject()
                .put("item", "tea")
                .put("qty", 3)
                .put("price", 4.5)
                .put("gift", false)
                .putNull("note")
                .put("tags", new JsonArray().add("green").add(new JsonObject().put("k", 1)))
                .put("meta", Map.of("source", List.of("web")));
        assertEquals(
                Map.of(
                        "item",
                        "tea",
                        "qty",
                        3L,
                        "price",
                        4.5,
                        "gift",
                        false,
                        "tags",
                        List.of("green", Map.of("k", 1L)),
                        "meta",
                        Map.of("source", List.of("web"))),
                withoutNulls(roundTrip(
                        order,
                        "v == {'item': 'tea', 'qty': 3, 'price': 4.5, 'gift': False, "
                                + "'note': None, 'tags': ['green', {'k': 1}], 'meta': {'source': ['web']}}")));
        assertEquals(List.of(1L, "x"), roundTrip(new JsonArray().add(1).add("x"), "type(v) is list and v == [1, 'x']"));
    }

    @SuppressWarnings("unchecked")
    private static Object withoutNulls(Object map) {
        Map<Object, Object> copy = new LinkedHashMap<>((Map<Object, Object>) map);
        copy.values().removeIf(Objects::isNull);
        return copy;
    }

    @Test
    void dictsAndListsBecomeVertxJson() {
        JsonObject order = python.attach(py -> py.eval(
                        "{'item': 'tea', 'qty': 3, 'big': 2**70, 'price': 4.5, 'gift': False, 'note': None, "
                                + "'tags': ('green', {'k': [1]}), 'kind': __import__('enum').IntEnum('Kind', 'A B')(2)}")
                .as(JsonObject.class));
        assertEquals(
                new JsonObject()
                        .put("item", "tea")
                        .put("qty", 3L)
                        .put("big", BigInteger.TWO.pow(70))
                        .put("price", 4.5)
                        .put("gift", false)
                        .putNull("note")
                        .put(
                                "tags",
                                new JsonArray().add("green").add(new JsonObject().put("k", new JsonArray().add(1L))))
                        .put("kind", 2L),
                order);
        assertInstanceOf(JsonArray.class, order.getValue("tags"));
        assertEquals(
                new JsonArray().add("a").add(new JsonArray()),
                python.attach(py -> py.eval("['a', []]").as(JsonArray.class)));
    }

    @Test
    void whatIsNotJsonIsNamedWithItsPlace() {
        assertEquals(
                "cannot convert a Python dict with set value at ['tags'][1] to io.vertx.core.json.JsonObject: "
                        + "expected dict of JSON values",
                notJson("{'tags': ['a', {1}]}", JsonObject.class));
        assertEquals(
                "cannot convert a Python dict with int key at ['meta'] to io.vertx.core.json.JsonObject: "
                        + "expected dict of JSON values",
                notJson("{'meta': {1: 'x'}}", JsonObject.class));
        assertEquals(
                "cannot convert a Python dict with bytes value at ['raw'] to io.vertx.core.json.JsonObject: "
                        + "expected dict of JSON values",
                notJson("{'raw': b'x'}", JsonObject.class));
        assertEquals(
                "cannot convert a Python list to io.vertx.core.json.JsonObject: expected dict of JSON values",
                notJson("[]", JsonObject.class));
        assertEquals(
                "cannot convert a Python list with object value at [0] to io.vertx.core.json.JsonArray: "
                        + "expected list of JSON values",
                notJson("[object()]", JsonArray.class));
    }

    @Test
    void jsonThatContainsItselfIsRefusedEitherWay() {
        IllegalArgumentException fromPython = assertThrows(
                IllegalArgumentException.class,
                () -> python.attach(py -> py.eval("(lambda d: (d.__setitem__('self', [d]), d)[1])({})")
                        .as(JsonObject.class)));
        assertTrue(fromPython.getMessage().contains("a dict that contains itself"), fromPython.getMessage());
        JsonObject loop = new JsonObject();
        loop.put("self", new JsonArray().add(loop));
        IllegalArgumentException fromJava =
                assertThrows(IllegalArgumentException.class, () -> python.attach(py -> py.toPython(loop)));
        assertTrue(fromJava.getMessage().contains("that contains itself"), fromJava.getMessage());
    }

    private String notJson(String expression, Class<?> type) {
        return assertThrows(
                        ClassCastException.class,
                        () -> python.attach(py -> py.eval(expression).as(type)))
                .getMessage();
    }

    @Test
    void otherPythonObjectsStayPyObjects() {
        Object value = python.attach(py -> py.eval("object()").toJava());
        assertInstanceOf(PyObject.class, value);
        ((PyObject) value).close();
    }
}
