"""Exceptions across the boundary, checked from Python."""
import sys
import traceback

import jawait_testmod as tm
import pytest

import jawait


@pytest.mark.parametrize("java_class, builtin", [
    ("java.lang.IllegalArgumentException", ValueError),
    ("java.lang.NumberFormatException", ValueError),
    ("java.lang.ClassCastException", TypeError),
    ("java.util.concurrent.TimeoutException", TimeoutError),
    ("java.io.IOException", OSError),
    ("java.io.FileNotFoundException", FileNotFoundError),
    ("java.nio.file.NoSuchFileException", FileNotFoundError),
    ("java.net.ConnectException", ConnectionRefusedError),
    ("java.lang.UnsupportedOperationException", NotImplementedError),
    ("java.lang.ArrayIndexOutOfBoundsException", IndexError),
    ("java.util.NoSuchElementException", LookupError),
    ("java.lang.ArithmeticException", ArithmeticError),
    ("java.lang.IllegalStateException", RuntimeError),
    ("java.lang.SecurityException", PermissionError),
])
def test_java_exceptions_map_to_the_fitting_builtin(java_class, builtin):
    with pytest.raises(builtin) as caught:
        tm.throwJava(java_class, "boom")
    error = caught.value
    assert isinstance(error, jawait.JavaError)
    assert type(error).__name__ == "Java" + builtin.__name__
    assert str(error) == f"{java_class}: boom"
    assert error.java_class == java_class
    assert error.java_stack_trace.splitlines()[0] == f"{java_class}: boom"
    assert "at dev.jawait.pytests.TestModule.throwJava" in error.java_stack_trace
    assert type(error.java_exception) is jawait.JavaObject


def test_unmapped_java_exceptions_are_plain_java_errors():
    with pytest.raises(jawait.JavaError) as caught:
        tm.throwJava("java.lang.RuntimeException", "plain")
    assert type(caught.value) is jawait.JavaError
    assert not isinstance(caught.value, ValueError)


def test_java_causes_become_python_causes():
    with pytest.raises(RuntimeError) as caught:
        tm.throwWithCause()
    cause = caught.value.__cause__
    assert isinstance(cause, OSError) and cause.java_class == "java.io.UncheckedIOException"
    assert isinstance(cause.__cause__, OSError) and str(cause.__cause__) == "java.io.IOException: inner"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes are displayed from Python 3.11")
def test_tracebacks_show_the_java_stack_trace():
    with pytest.raises(ValueError) as caught:
        tm.throwJava("java.lang.IllegalArgumentException", "shown")
    text = "".join(traceback.format_exception(caught.value))
    assert "jawait.JavaValueError: java.lang.IllegalArgumentException: shown" in text
    assert "Java stack trace:" in text and "at dev.jawait.pytests.TestModule.throwJava" in text


def test_a_python_exception_through_java_is_the_same_object():
    original = KeyError("mine")

    def raiser():
        raise original

    with pytest.raises(KeyError) as caught:
        tm.callPython(raiser)
    assert caught.value is original
    frames = [f.name for f in traceback.extract_tb(caught.value.__traceback__)]
    assert "raiser" in frames


def test_a_java_exception_through_python_and_back_is_the_same_java_object():
    error = tm.exceptionValue("kept")
    assert isinstance(error, ValueError) and isinstance(error, jawait.JavaError)

    def reraise():
        raise error

    with pytest.raises(ValueError) as caught:
        tm.callPython(reraise)
    assert caught.value is error
    assert tm.keep(error.java_exception) is not None and tm.isKept(error.java_exception)


def test_java_errors_can_be_caught_as_exceptions_and_pickled_names_are_stable():
    assert jawait.JavaError.__module__ == "jawait"
    assert issubclass(jawait.JavaError, Exception)
