"""Every typed Java function fed hostile Python values: the only acceptable outcomes are a result
or a Python exception (an ``Exception``) whose message says what happened. A crash ends this
process, which fails the suite."""
import asyncio
import math
import sys

import jawait_hostile as h
import pytest
from stress_support import scaled

import jawait


class Boom(Exception):
    pass


def raiser(*names):
    """An object whose listed special methods raise Boom."""
    def fail(self, *args):
        raise Boom(f"{names} raised on purpose")
    return type("Hostile_" + "_".join(n.strip("_") for n in names), (), {n: fail for n in names})()


class WeirdInt(int):
    def __str__(self):
        raise Boom("__str__")

    def __repr__(self):
        raise Boom("__repr__")


class WeirdStr(str):
    def __eq__(self, other):
        raise Boom("__eq__")

    __hash__ = str.__hash__


class LyingList(list):
    def __len__(self):
        return 10 ** 9

    def __iter__(self):
        raise Boom("__iter__")


class LyingDict(dict):
    def __iter__(self):
        raise Boom("__iter__")

    def keys(self):
        raise Boom("keys")


def self_list():
    items = [1]
    items.append(items)
    return items


def self_dict():
    items = {}
    items["self"] = items
    return items


def deep(depth, make=list):
    outer = current = make()
    for _ in range(depth):
        inner = make()
        current.append(inner)
        current = inner
    return outer


def depth_of(nested):
    """The nesting depth of lists built by deep(), counted without recursion."""
    depth = 0
    while isinstance(nested, list):
        depth += 1
        nested = nested[0] if nested else None
    return depth


def deep_dict(depth):
    outer = current = {}
    for _ in range(depth):
        current["d"] = {}
        current = current["d"]
    return outer


def hostile_values():
    return [
        raiser("__index__"), raiser("__float__"), raiser("__index__", "__float__", "__int__"),
        raiser("__str__", "__repr__"), raiser("__eq__", "__hash__"), raiser("__len__", "__iter__"),
        raiser("__call__"), raiser("__bool__"), WeirdInt(2 ** 70), WeirdInt(5), WeirdStr("x"),
        LyingList([1, 2]), LyingDict(a=1),
        10 ** 5000, -(10 ** 5000), 2 ** 64, -(2 ** 63) - 1, 2 ** 63,
        float("nan"), float("inf"), -float("inf"), -0.0, 1e308 * 10,
        "\ud800", "a\udfffb", b"\x00" * 3, bytearray(b"\xff"), "\x00",
        self_list(), self_dict(), deep(100_000), deep_dict(100_000), deep(999), [deep(10)] * 3,
        [raiser("__index__")], {"k": raiser("__index__")}, {1: 2},
        {1, 2, frozenset({3})}, (1, (2, (3,))), None, True, object(), type, len, print,
        Boom("a python exception"), jawait.JavaError("plain JavaError"), BaseException("base"),
        asyncio.sleep, range(10), iter([1]), memoryview(b"ab"), 3 + 4j, ...,
    ]


SYNC_FUNCTIONS = [
    h.longs, h.doubles, h.nestedLongs, h.longArray, h.doubleArray, h.longMap, h.longSet, h.oneLong,
    h.oneInt, h.oneDouble, h.oneFloat, h.oneBool, h.oneStr, h.oneChar, h.oneBytes, h.oneBig, h.oneNumber,
    h.oneOptional, h.oneObject, h.oneUnit, h.oneCallable, h.oneThrowable,
]

# What a message must never be: a Java-internal failure leaking out instead of a clear error.
LEAKS = ("NullPointerException", "StackOverflowError", "could not convert a Java exception",
         "ConversionFailure", "ClassCastException: class", "java.lang.Error")


def check_outcome(function, value, call):
    try:
        call()
    except Exception as error:  # a clear Python exception is fine; anything else fails below
        message = str(error)
        assert message, f"{function.__name__}({value!r:.60}) raised {type(error).__name__} without a message"
        assert not isinstance(error, SystemError), f"{function.__name__}: SystemError {message}"
        for leak in LEAKS:
            assert leak not in message, f"{function.__name__}({value!r:.60}): {message}"


def safe_repr(value):
    try:
        return repr(value)[:60]
    except Exception:
        return f"<{type(value).__name__}>"


@pytest.mark.parametrize("function", SYNC_FUNCTIONS, ids=lambda f: f.__name__)
def test_sync_functions_refuse_hostile_values_clearly(function):
    for _ in range(scaled(1)):
        for value in hostile_values():
            check_outcome(function, safe_repr(value), lambda: function(value))


@pytest.mark.parametrize("function", [h.longsLater, h.objectLater, h.doubleLater], ids=lambda f: f.__name__)
def test_async_functions_refuse_hostile_values_clearly(function):
    async def call(value):
        return await function(value)

    for _ in range(scaled(1)):
        for value in hostile_values():
            check_outcome(function, safe_repr(value), lambda: asyncio.run(call(value)))


def test_recursive_and_deep_values_name_the_problem():
    with pytest.raises(ValueError, match=r"jawait_hostile.oneObject\(\) argument 'value': a list that contains itself"):
        h.oneObject(self_list())
    with pytest.raises(ValueError, match="a dict that contains itself"):
        h.oneObject(self_dict())
    with pytest.raises(ValueError, match="a list nested deeper than 1000 levels"):
        h.oneObject(deep(100_000))
    with pytest.raises(ValueError, match="a dict nested deeper than 1000 levels"):
        h.oneObject(deep_dict(100_000))
    assert depth_of(h.oneObject(deep(998))) == 999  # within the limit, it converts both ways
    with pytest.raises(ValueError, match="java.util.ArrayList that contains itself to Python"):
        h.selfContainingList()
    with pytest.raises(ValueError, match="nested deeper than 1000 levels to Python"):
        h.nestedList(100_000)


def test_huge_ints_cross_at_any_size():
    for digits in (4300, 4301, 20_000):
        value = 10 ** digits
        assert h.oneBig(value) == value
        assert h.oneBig(-value) == -value
        assert h.oneObject(value + 1) == value + 1
        assert h.powerOfTen(digits) == value
    with pytest.raises(OverflowError, match="does not fit in a Java long"):
        h.oneLong(10 ** 5000)


def test_special_floats_and_surrogates():
    assert math.isnan(h.oneDouble(float("nan")))
    assert h.oneDouble(float("inf")) == float("inf")
    assert math.copysign(1, h.oneDouble(-0.0)) == -1
    with pytest.raises(ValueError, match="lone surrogate"):
        h.oneStr("\ud800")


def test_noncallable_for_a_function_parameter_is_refused_at_the_call():
    with pytest.raises(TypeError, match=r"jawait_hostile.oneCallable\(\) argument 'value' must be callable, not int"):
        h.oneCallable(5)
    assert h.oneCallable(len) == "callable"


def test_exceptions_for_a_throwable_parameter():
    assert h.oneThrowable(Boom("python side")) == "dev.jawait.PythonException: test_hostile_values.Boom: python side"
    java_error = None
    try:
        import jawait_testmod
        jawait_testmod.throwJava("java.lang.IllegalStateException", "from java")
    except jawait.JavaError as error:
        java_error = error
    assert h.oneThrowable(java_error) == "java.lang.IllegalStateException: from java"
    with pytest.raises(TypeError, match="must be an exception convertible to java.lang.Throwable, not int"):
        h.oneThrowable(3)


def test_python_java_python_recursion_is_a_prompt_recursion_error():
    import jawait_testmod as tm

    def apply_back(n):
        return tm.apply(apply_back, n + 1)

    limit = sys.getrecursionlimit()
    with pytest.raises(RecursionError):
        apply_back(0)
    assert sys.getrecursionlimit() == limit
    # The interpreter is healthy afterwards.
    assert tm.apply(lambda x: x * 2, 21) == 42
