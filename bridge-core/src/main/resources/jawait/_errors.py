"""Exceptions crossing between Java and Python (used by jawait's Java side)."""
from __future__ import annotations

import builtins
import sys

from _jawait import JavaObject


class JavaError(Exception):
    """A Java exception raised in Python.

    Attributes: ``java_class`` (the Java class name), ``java_stack_trace`` (its frames, as text)
    and ``java_exception`` (the exception itself, as a :class:`jawait.JavaObject`). Raised back
    into Java, it is that original exception again. A Java cause becomes ``__cause__``.
    """

    __module__ = "jawait"
    java_class: str
    java_stack_trace: str
    java_exception: JavaObject


def _java_kind(base: type[Exception]) -> type[JavaError]:
    return type("Java" + base.__name__, (JavaError, base), {
        "__module__": "jawait",
        "__doc__": f"A Java exception that Python code may catch as {base.__name__}.",
    })


# Python built-ins that Java exception classes map to; Java picks the kind by class hierarchy.
_KINDS = {base.__name__: _java_kind(base) for base in (
    builtins.ValueError, builtins.TypeError, builtins.TimeoutError, builtins.OSError,
    builtins.FileNotFoundError, builtins.FileExistsError, builtins.PermissionError,
    builtins.ConnectionRefusedError, builtins.NotImplementedError, builtins.IndexError,
    builtins.LookupError, builtins.ArithmeticError, builtins.RuntimeError, builtins.MemoryError,
    builtins.RecursionError,
)}


def java_error(kind: str, java_class: str, message: str | None, java_exception: JavaObject, stack_trace: str,
               cause: BaseException | None) -> JavaError:
    """The Python exception for a Java one."""
    cls = _KINDS.get(kind, JavaError)
    error = cls(java_class if message is None else f"{java_class}: {message}")
    error.java_class = java_class
    error.java_exception = java_exception
    error.java_stack_trace = stack_trace
    if cause is not None:
        error.__cause__ = cause
    if sys.version_info >= (3, 11):
        error.add_note("Java stack trace:\n" + stack_trace)
    return error


def explain_missing_module(error: BaseException) -> None:
    """Adds to a ModuleNotFoundError for a module that no installed package provides a note that
    names the Python in use and the pip command that installs it, as jawait's own errors for trio
    and uvloop do. A module whose top-level package exists (a typo in a submodule, say) gets none."""
    name = getattr(error, "name", None)
    if not isinstance(error, ModuleNotFoundError) or not name:
        return
    top = name.partition(".")[0]
    notes = getattr(error, "__notes__", None) or []
    if any(isinstance(note, str) and note.startswith("jawait: ") for note in notes):
        return
    import importlib.util

    try:
        if importlib.util.find_spec(top) is not None:
            return
    except (ImportError, ValueError):
        pass
    python = sys.executable or "python3"
    version = ".".join(map(str, sys.version_info[:3]))
    note = (f"jawait: no installed package provides the module '{top}' to the Python in use, {python} "
            f"(Python {version}); install the package that provides it, for instance: "
            f"{python} -m pip install {top}")
    if sys.version_info >= (3, 11):
        error.add_note(note)
    else:  # read by describe() and by the launcher's excepthook
        error.__notes__ = [*notes, note]  # type: ignore[attr-defined]


_MAX_FRAMES = 100
"""Python frames given to Java per exception, innermost first."""


def describe(error: BaseException) -> JavaObject | tuple[str, str, str, list[str], str, BaseException | None]:
    """What Java needs to build a PythonException: the original Java exception if this carries one,
    else (name, qualified name, message, class hierarchy, frames innermost first, cause). The frames
    are one str (one crossing): records "module, function, file, line" split by \\x1e, fields by \\x1f."""
    java = getattr(error, "java_exception", None)
    if type(java) is JavaObject:
        return java
    cls = type(error)
    try:
        message = str(error)
    except Exception:  # a broken __str__ must not hide the error itself
        message = f"<unprintable {cls.__name__}>"
    notes = getattr(error, "__notes__", None)
    if isinstance(notes, list) and notes:  # shown under the message, as Python's tracebacks do
        message = "\n".join([message, *(str(note) for note in notes)])
    tracebacks = []
    tb = error.__traceback__
    while tb is not None:
        tracebacks.append(tb)
        tb = tb.tb_next
    # The innermost frames only: an error crossing back and forth is described again at each crossing,
    # so describing every frame would cost quadratic time in deep recursion.
    frames = [f"{tb.tb_frame.f_globals.get('__name__', '?')}\x1f{tb.tb_frame.f_code.co_name}\x1f"
              f"{tb.tb_frame.f_code.co_filename}\x1f{tb.tb_lineno or 0}"
              for tb in reversed(tracebacks[-_MAX_FRAMES:])]
    if len(tracebacks) > _MAX_FRAMES:
        frames.append(f"python\x1f<{len(tracebacks) - _MAX_FRAMES} outer frames omitted>\x1f\x1f-1")
    hierarchy = [c.__name__ for c in cls.__mro__] + [f"{c.__module__}.{c.__qualname__}" for c in cls.__mro__]
    if error.__cause__ is not None:
        cause: BaseException | None = error.__cause__
    elif not error.__suppress_context__:
        cause = error.__context__
    else:
        cause = None
    return (cls.__name__, f"{cls.__module__}.{cls.__qualname__}", message, hierarchy, "\x1e".join(frames), cause)
