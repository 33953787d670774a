"""Values crossing between Python and Java, checked from Python."""
import sys

import jawait_testmod as tm
import pytest

import jawait


@pytest.mark.parametrize("value, java_type", [
    (None, "null"),
    (True, "java.lang.Boolean"),
    (7, "java.lang.Long"),
    (-(2 ** 63), "java.lang.Long"),
    (2 ** 63, "java.math.BigInteger"),
    (1.5, "java.lang.Double"),
    ("text", "java.lang.String"),
    (b"\x00\xff", "[B"),
    (bytearray(b"ab"), "[B"),
    ([1, "a"], "java.util.ArrayList"),
    ((1, 2), "java.util.ArrayList"),
    ({"k": 1}, "java.util.LinkedHashMap"),
    ({1, 2}, "java.util.LinkedHashSet"),
    (frozenset({3}), "java.util.LinkedHashSet"),
])
def test_natural_java_types(value, java_type):
    assert tm.javaType(value) == java_type


@pytest.mark.parametrize("value", [
    None, True, False, 0, 1, -1, 2 ** 63 - 1, -(2 ** 63), 2 ** 64, -(2 ** 200) + 7, 0.0, -2.5, float("inf"),
    "", "plain", "h\u00e9llo \u4e16\u754c \U0001F600", "nul\x00inside", b"", b"\x00\x01\xfe",
    [], [1, [2, [3, None]]], {"a": {"b": [1.5]}}, {1, 2, 3},
])
def test_round_trip_keeps_value_and_type(value):
    back = tm.echo(value)
    assert back == value
    assert type(back) is type(value)


def test_tuples_and_frozensets_come_back_as_list_and_set():
    assert tm.echo((1, 2)) == [1, 2]
    assert tm.echo(frozenset({1})) == {1}
    assert tm.echo(bytearray(b"x")) == b"x"


def test_nan_survives():
    value = tm.echo(float("nan"))
    assert value != value


def test_typed_parameters_convert_python_values():
    assert tm.add(2, 3) == 5
    assert tm.scale(1.5) == 3.0
    assert tm.scale(3, factor=0.5) == 1.5  # an int is accepted for a float
    assert tm.twice(2 ** 100) == 2 ** 101
    assert tm.negate(False) is True
    assert tm.join(["a", "b"]) == "a,b"
    assert tm.join(("a", "b"), sep="-") == "a-b"
    assert tm.sumValues({"x": 2, "y": 3}) == 5
    assert tm.length(b"abcd") == 4
    assert tm.length(bytearray(3)) == 3
    assert tm.unitName("SECOND") == "second"


def test_none_is_null_for_java_references_but_not_primitives():
    assert tm.upper.__name__ == "upper"
    with pytest.raises(jawait.JavaError):  # NullPointerException inside the Java method
        tm.upper(None)
    with pytest.raises(TypeError, match=r"jawait_testmod.add\(\) argument 'a' must be int, not NoneType"):
        tm.add(None)


def test_index_objects_are_accepted_for_integers():
    class Index:
        def __index__(self):
            return 41

    assert tm.add(Index()) == 42


def test_java_objects_are_opaque_handles_that_come_back_identical():
    p = tm.point(3, 4)
    assert type(p) is jawait.JavaObject
    assert "Point[x=3, y=4]" in repr(p)
    assert tm.pointX(p) == 3
    assert tm.keep(p) is not None and tm.isKept(p)
    assert p == tm.point(3, 4) and hash(p) == hash(tm.point(3, 4))  # Java equals/hashCode
    assert p != tm.point(0, 0)
    with pytest.raises(TypeError, match="cannot create 'jawait.JavaObject' instances"):
        jawait.JavaObject()


def test_lone_surrogates_are_refused_both_ways():
    with pytest.raises(ValueError, match="cannot convert a Python str with a lone surrogate"):
        tm.upper("bad\udc80")
    with pytest.raises(ValueError, match=r"lone surrogate \(\\uD800 at index 3\)"):
        tm.loneSurrogate()


def test_large_containers_convert_whole():
    big = list(range(100_000))
    assert tm.echo(big) == big
    mapping = {str(i): i for i in range(10_000)}
    assert tm.sumValues(mapping) == sum(range(10_000))


def test_strings_of_every_plane():
    text = "".join(chr(c) for c in range(1, 0x110000, 97) if not 0xD800 <= c <= 0xDFFF)
    assert tm.echo(text) == text
    assert sys.getsizeof(text) > 0
