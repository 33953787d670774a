"""Python type annotations of Java functions: at run time (async and stream functions) and as .pyi stubs for mypy."""
import collections.abc
import importlib.util
import inspect
import os
import subprocess
import sys
import sysconfig
import textwrap
import typing

import jawait_async_testmod as am
import jawait_stream_testmod as sm
import jawait_testmod as tm
import pytest

import jawait


def test_async_functions_carry_annotations_from_their_java_types():
    assert am.describeKind.__annotations__ == {"type": str, "return": str}
    assert str(inspect.signature(am.describeKind)) == "(type: str) -> str"
    assert typing.get_type_hints(am.echoLater) == {"value": typing.Any, "millis": int, "return": typing.Any}
    assert inspect.iscoroutinefunction(am.describeKind)  # awaiting it gives the return annotation, as for any async def
    assert am.callLater.__annotations__["callback"] == collections.abc.Callable[[typing.Any], typing.Any]
    assert am.vertxTimer.__annotations__["return"] is None  # a Vert.x Timer is a Future<Void>


def test_stream_functions_are_annotated_as_async_generators():
    assert sm.count.__annotations__ == {"tag": str, "count": int, "return": collections.abc.AsyncGenerator[int, None]}
    assert inspect.signature(sm.count).return_annotation == collections.abc.AsyncGenerator[int, None]
    assert sm.vertxLines.__annotations__["return"] == collections.abc.AsyncGenerator[bytes, None]  # ReadStream<Buffer>
    assert sm.collect.__annotations__["return"] == list[typing.Any]


def test_sync_functions_keep_their_builtin_signature():
    # Built-in functions cannot carry annotations (CPython reads their signature from text); the stubs do.
    assert str(inspect.signature(tm.add)) == "(a, b=1)"


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("stubs")
    written = tm.writeStubs(str(directory))
    assert str(directory / "jawait_testmod.pyi") in written
    assert str(directory / "jawait" / "__init__.py") in written
    assert str(directory / "jawait" / "py.typed") in written
    return directory


# scripts/venv leaves mypy out on free-threaded 3.13: its ast_serialize is built with PyO3, which
# builds for free-threaded CPython from 3.14 only.
NO_MYPY_HERE = bool(sysconfig.get_config_var("Py_GIL_DISABLED")) and importlib.util.find_spec("mypy") is None


def mypy(stubs, *arguments):
    """mypy run by this Python, seeing the stubs (as MYPYPATH) and a cache beside them; (status, output)."""
    if NO_MYPY_HERE:
        pytest.skip("no mypy for free-threaded CPython 3.13 (its ast_serialize needs 3.14 there)")
    environment = dict(os.environ, MYPYPATH=str(stubs))
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(stubs.parent / "mypy-cache"),
                             "--no-error-summary", "--hide-error-context", *arguments],
                            capture_output=True, text=True, env=environment, cwd=stubs.parent)
    return result.returncode, result.stdout + result.stderr


def test_the_stubs_declare_the_java_types(stubs):
    text = (stubs / "jawait_testmod.pyi").read_text()
    assert "def add(a: int, b: int = ...) -> int: ..." in text
    assert "def join(parts: list[str], *, sep: str = ...) -> str: ..." in text
    assert "def sumValues(counts: dict[str, int]) -> int: ..." in text
    assert "def point(x: int, y: int) -> jawait.JavaObject: ..." in text
    assert "def unitName(unit: typing.Union[typing.Literal['METRE', 'SECOND'], jawait.JavaObject]) -> str: ..." in text
    streams = (stubs / "jawait_stream_testmod.pyi").read_text()
    assert "def count(tag: str, count: int) -> collections.abc.AsyncGenerator[int, None]:" in streams
    assert "async def describeKind(type: str) -> str:" in (stubs / "jawait_async_testmod.pyi").read_text()


def test_the_stubs_pass_mypy_strict(stubs):
    status, output = mypy(stubs, "--strict", str(stubs))
    assert status == 0, output


CALLS = """\
import asyncio

import jawait_async_testmod as am
import jawait_stream_testmod as sm
import jawait_testmod as tm


async def main() -> None:
    total: int = tm.add(1, 2) + tm.add(3)
    joined: str = tm.join(["a", "b"], sep="-")
    x: int = tm.pointX(tm.point(1, 2))
    doubled: int = tm.apply(lambda n: n * 2, 21)
    unit: str = tm.unitName("METRE")
    kind: str = await am.describeKind(type="x")
    task = asyncio.ensure_future(am.describeKind("y"))
    numbers: list[int] = [n async for n in sm.count("typed", 3)]
    print(total, joined, x, doubled, unit, kind, await task, numbers)


asyncio.run(main())
"""


def test_mypy_accepts_correct_calls(stubs, tmp_path):
    program = tmp_path / "correct.py"
    program.write_text(CALLS)
    status, output = mypy(stubs, "--strict", str(program))
    assert status == 0, output


def test_mypy_reports_a_wrong_argument_type(stubs, tmp_path):
    program = tmp_path / "wrong.py"
    program.write_text(textwrap.dedent("""\
        import jawait_testmod as tm

        tm.add("1")
        tm.unitName("HOUR")
        """))
    status, output = mypy(stubs, str(program))
    assert status == 1, output
    assert 'wrong.py:3: error: Argument 1 to "add" has incompatible type "str"; expected "int"' in output
    assert 'wrong.py:4: error: Argument 1 to "unitName" has incompatible type "Literal[\'HOUR\']"' in output


def test_jawaits_own_package_is_written_typed_and_names_what_it_exports(stubs):
    text = (stubs / "jawait" / "__init__.py").read_text()
    for name in jawait.__all__:
        assert f'"{name}"' in text
    assert (stubs / "jawait" / "py.typed").exists()
    assert "class JavaObject" in (stubs / "_jawait.pyi").read_text()
