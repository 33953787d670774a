"""Java functions as Python functions: arguments, keywords, defaults, errors, signatures."""
import inspect

import jawait_testmod as tm
import pytest


def test_module_and_function_metadata():
    assert tm.__doc__ == "Java functions exercised by jawait's pytest suites."
    assert tm.add.__module__ == "jawait_testmod"
    assert tm.add.__name__ == "add"
    assert tm.echo.__doc__ == "Returns its argument converted to Java and back."
    assert str(inspect.signature(tm.add)) == "(a, b=1)"
    assert str(inspect.signature(tm.join)) == "(parts, *, sep=',')"
    assert str(inspect.signature(tm.evalWithToken)) == "(expression)"  # the GIL token is injected


def test_keywords_and_defaults():
    assert tm.add(1) == 2
    assert tm.add(a=1, b=5) == 6
    assert tm.add(b=5, a=1) == 6
    assert tm.join(["x"], sep="") == "x"


@pytest.mark.parametrize("call, error, message", [
    (lambda: tm.add("1"), TypeError, "jawait_testmod.add() argument 'a' must be int, not str"),
    (lambda: tm.add(1, 2.5), TypeError, "jawait_testmod.add() argument 'b' must be int, not float"),
    (lambda: tm.add(True), TypeError, "jawait_testmod.add() argument 'a' must be int, not bool"),
    (lambda: tm.scale("x"), TypeError, "jawait_testmod.scale() argument 'value' must be float, not str"),
    (lambda: tm.negate(1), TypeError, "jawait_testmod.negate() argument 'flag' must be bool, not int"),
    (lambda: tm.join("abc"), TypeError, "jawait_testmod.join() argument 'parts' must be list, not str"),
    (lambda: tm.join([1]), TypeError, "jawait_testmod.join() argument 'parts' must be str, not int"),
    (lambda: tm.sumValues([]), TypeError, "jawait_testmod.sumValues() argument 'counts' must be dict, not list"),
    (lambda: tm.length("s"), TypeError, "jawait_testmod.length() argument 'data' must be bytes, not str"),
    (lambda: tm.pointX("p"), TypeError,
     "jawait_testmod.pointX() argument 'p' must be a Java dev.jawait.pytests.TestModule$Point, not str"),
    (lambda: tm.unitName("HOUR"), TypeError,
     "jawait_testmod.unitName() argument 'unit' must be str naming a Unit constant, not 'HOUR'"),
    (lambda: tm.addInts(2 ** 31, 0), OverflowError,
     "jawait_testmod.addInts() argument 'a': 2147483648 does not fit in a Java int"),
    (lambda: tm.add(2 ** 64), OverflowError,
     "jawait_testmod.add() argument 'a': 18446744073709551616 does not fit in a Java long"),
    (lambda: tm.add(), TypeError, "jawait_testmod.add() missing required argument 'a'"),
    (lambda: tm.add(1, 2, 3), TypeError, "jawait_testmod.add() takes at most 2 positional arguments (3 given)"),
    (lambda: tm.add(1, c=3), TypeError, "jawait_testmod.add() got an unexpected keyword argument 'c'"),
    (lambda: tm.add(1, a=3), TypeError, "jawait_testmod.add() got multiple values for argument 'a'"),
    (lambda: tm.join(["a"], ","), TypeError, "jawait_testmod.join() takes at most 1 positional argument (2 given)"),
])
def test_bad_arguments_get_errors_that_name_function_and_parameter(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message
    assert type(caught.value) is error  # a plain Python error, not a wrapped Java one


def test_python_callables_become_java_functional_interfaces():
    assert tm.apply(lambda x: x * 2, 21) == 42
    assert tm.applyOnJavaThread(lambda x: x + "!", "hi") == "hi!"


def test_the_injected_token_evaluates_python():
    assert tm.evalWithToken("1 + 1") == 2


def test_results_of_python_calls_made_by_java_come_back():
    marker = object()
    assert tm.callPython(lambda: marker) is marker
