"""Coroutine and async generator functions for Java async and stream functions, and what
backends share (used by jawait's Java side).

Calling an exported Java async function binds and converts its arguments at once, so a bad call
raises where it is written, like any Python call; it returns a genuine coroutine
(``asyncio.iscoroutine``, ``RuntimeWarning`` when never awaited, ``RuntimeError`` when awaited
twice), and the Java method runs only when the coroutine first runs. If the Java future is already
complete the result comes back at once, with no suspension; otherwise the backend parks the
coroutine until Java wakes the loop. Stream functions likewise return async generators.
"""
from __future__ import annotations

import collections.abc
import functools
import importlib
import inspect
import keyword
import os
import sys
import typing

import _jawait
import jawait

if typing.TYPE_CHECKING:
    import contextvars
    from collections.abc import Awaitable, Callable

_T = typing.TypeVar("_T")

_cancel = _jawait.cancel
_start = _jawait.start_call


class Pending(int):
    """A Java future that was not complete when its coroutine first ran; the backend parks on it.

    The value identifies the Java side's pending call. An int subclass, so that it is freed
    without calling into Java.
    """

    __slots__ = ()


MISSING = type("_MissingArgument", (), {"__repr__": lambda self: "<default>", "__slots__": ()})()
"""Passed for an optional parameter the caller left out: the Java side then uses its default."""

END = type("_EndOfStream", (), {"__repr__": lambda self: "<end of stream>", "__slots__": ()})()
"""What ``stream_take`` returns once a Java stream has ended."""

_take = _jawait.stream_take
_close = _jawait.stream_close


class JavaFunction(functools.partial):  # type: ignore[type-arg]
    """An exported Java async or stream function: calling it binds the arguments in Java (a bad
    call raises here) and returns the coroutine or async generator of ``func`` for that call.

    A functools.partial only so that ``inspect.iscoroutinefunction`` and
    ``inspect.isasyncgenfunction``, which look through partials to the code of the function they
    wrap, recognize it as what it is, on every Python version; ``__call__`` is its own.
    """

    __slots__ = ()
    __name__: str  # set on each instance, as on a function (a partial has a __dict__)
    __qualname__: str
    __signature__: inspect.Signature

    def __repr__(self) -> str:
        return f"<Java {'stream' if inspect.isasyncgenfunction(self.func) else 'async'} function " \
               f"{self.__module__}.{self.__name__}>"


# The body of an async function's coroutine: no suspension if the Java future is already complete.
_COROUTINE_BODY = """\
    park = check(qualified)
    result = {start}
    if type(result) is not Pending:
        return result
    try:
        return await park(result)
    except BaseException:  # cancelled, timed out, closed, or parking failed
        cancel(result)  # cancels the Java side unless a completion is already queued
        raise
"""

# The body of a stream function's async generator: batches of what the Java stream buffered,
# parking like a coroutine when there is none yet.
_GENERATOR_BODY = """\
    park = check(qualified)
    stream = {start}
    try:
        while True:
            batch = take(stream)
            if type(batch) is Pending:
                pending = batch
                try:
                    batch = await park(pending)
                except BaseException:
                    cancel(pending)
                    raise
            if batch is END:
                return
            for item in batch:
                yield item
    finally:
        close(stream)  # cancels the subscription unless the stream ended
"""

# Names the generated code uses itself; a parameter with one of them gets the *args/**kwargs form.
_WRAPPER_NAMES = frozenset({"check", "qualified", "start", "Pending", "cancel", "MISSING", "park", "result", "take",
                            "close", "END", "stream", "batch", "pending", "item", "args", "kwargs", "type",
                            "BaseException", "bind", "bound", "run", "JavaFunction", "function", "_jawait_self",
                            "start_now", "direct", "int", "float", "str", "bytes", "bytearray", "True", "False",
                            "None"})

# What a fast check (from Java's ExportedFunction.fastChecks) tests of an argument ``{0}``.
_FAST_CHECKS = {
    "int64": "(type({0}) is int and -0x8000000000000000 <= {0} <= 0x7fffffffffffffff)",
    "int32": "(type({0}) is int and -0x80000000 <= {0} <= 0x7fffffff)",
    "int16": "(type({0}) is int and -0x8000 <= {0} <= 0x7fff)",
    "int8": "(type({0}) is int and -0x80 <= {0} <= 0x7f)",
    "float": "(type({0}) is float)",
    "bool": "({0} is True or {0} is False)",
    "str": "(type({0}) is str)",
    "bytes": "(type({0}) is bytes or type({0}) is bytearray)",
}


def async_function(bind: Callable[..., object], start_now: Callable[..., object], checks: list[str], module: str,
                   backend_module: str, annotations: dict[str, str]) -> JavaFunction:
    """The coroutine function exported for a Java async function.

    ``bind`` is a Java builtin that converts the arguments and returns the bound call, which
    ``_jawait.start_call`` runs when the coroutine first runs, returning either the converted
    result or a :class:`Pending`; ``start_now`` binds and runs in one go, for a call whose
    arguments pass ``checks`` (one per parameter, see ``_FAST_CHECKS``), so that such a call crosses
    to Java once in all. ``backend_module`` implements ``check(function_name) -> park``, raising
    RuntimeError under a library it does not serve, where ``park(pending)`` parks the Java call and
    returns what to await for its result (an asyncio future, trio's ``wait_task_rescheduled``): no
    coroutine of jawait's own between the caller and the event loop. ``annotations`` maps parameter
    names and "return" to the annotation expressions that Java derived from its types
    (``"list[int]"``).
    """
    return _wrap(bind, start_now, checks, module, backend_module, _COROUTINE_BODY, annotations)


def stream_function(bind: Callable[..., object], start_now: Callable[..., object], checks: list[str], module: str,
                    backend_module: str, annotations: dict[str, str]) -> JavaFunction:
    """The async generator function exported for a Java stream function (Flow.Publisher, ReadStream).

    The call, started when first iterated, returns a stream handle; the generator takes what it has
    buffered in batches (``_jawait.stream_take``) and closes it when done (``_jawait.stream_close``).
    """
    return _wrap(bind, start_now, checks, module, backend_module, _GENERATOR_BODY, annotations)


# What Java's annotation expressions name: builtins and these modules.
_ANNOTATION_NAMES = {"collections": collections, "typing": typing, "jawait": jawait}


def _backend_check(backend_module: str) -> Callable[[str], Callable[[Pending], Awaitable[typing.Any]]]:
    """The backend's ``check``. A backend that cannot be imported here (trio in an isolated
    interpreter on CPython 3.12) fails the functions pinned to it when they are awaited, rather
    than the import of their module."""
    try:
        check: Callable[[str], Callable[[Pending], Awaitable[typing.Any]]] = importlib.import_module(backend_module).check
        return check
    except ImportError as error:
        cause = error

        def failing_check(function: str) -> Callable[[Pending], Awaitable[typing.Any]]:
            raise ImportError(f"{function}() needs jawait's backend {backend_module}, which cannot be imported "
                              f"in this interpreter: {cause}") from cause

        return failing_check


def _wrap(bind: Callable[..., object], start_now: Callable[..., object], checks: list[str], module: str,
          backend_module: str, body: str, annotations: dict[str, str]) -> JavaFunction:
    """With the Java function's signature known, ``__call__`` gets exactly that signature (arity
    errors read as for any Python function; no argument tuple per call) and the fast checks;
    otherwise it takes ``*args, **kwargs`` and Java binds every call. Either way the function
    carries the annotations, evaluated once here."""
    check = _backend_check(backend_module)
    name = getattr(bind, "__name__")
    qualified = f"{module}.{name}"
    try:
        signature = inspect.signature(bind)
    except ValueError:  # a default without a literal form
        signature = None
    if signature is not None and all(p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                                     and not keyword.iskeyword(p.name) and p.name not in _WRAPPER_NAMES
                                     for p in signature.parameters.values()):
        parameters: list[str] = []
        arguments: list[str] = []
        tests: list[str] = []
        for p, kind in zip(signature.parameters.values(), checks):
            if p.kind is p.KEYWORD_ONLY and "*" not in parameters:
                parameters.append("*")
            parameters.append(p.name if p.default is p.empty else f"{p.name}=MISSING")
            arguments.append(p.name if p.kind is p.POSITIONAL_OR_KEYWORD else f"{p.name}={p.name}")
            if kind.lstrip("?") in _FAST_CHECKS:
                alternatives = [_FAST_CHECKS[kind.lstrip("?")].format(p.name)]
                if kind.startswith("?"):
                    alternatives.append(f"{p.name} is None")
                if p.default is not p.empty:
                    alternatives.append(f"{p.name} is MISSING")
                tests.append("(" + " or ".join(alternatives) + ")")
            elif kind != "any":
                tests.append("False")
        fast = " and ".join(tests) or "True"
    else:
        parameters = arguments = ["*args", "**kwargs"]
        fast = "False"
    if fast == "True":
        call = f"        return direct({', '.join(arguments)})\n"
    elif fast == "False" or "False" in tests:
        call = f"        return run(bind({', '.join(arguments)}))\n"
    else:
        call = (f"        if {fast}:\n"
                f"            return direct({', '.join(arguments)})\n"
                f"        return run(bind({', '.join(arguments)}))\n")
    source = (f"class function(JavaFunction):\n"
              f"    __slots__ = ()\n"
              f"    def __call__({', '.join(['_jawait_self'] + parameters)}):\n" + call
              + "async def run(bound):\n" + body.format(start="start(bound)")
              + f"async def direct({', '.join(parameters)}):\n" + body.format(start=f"start_now({', '.join(arguments)})"))
    namespace: dict[str, typing.Any] = {"JavaFunction": JavaFunction, "bind": bind, "start_now": start_now, "check": check, "qualified": qualified,
                 "start": _start, "Pending": Pending, "cancel": _cancel, "MISSING": MISSING, "END": END,
                 "take": _take, "close": _close}
    exec(compile(source, f"<jawait {qualified}>", "exec"), namespace)
    cls, run, direct = namespace["function"], namespace["run"], namespace["direct"]
    # Arity errors and coroutines carry the Java function's name, as they would for an async def.
    call = cls.__call__
    call.__code__ = call.__code__.replace(**({"co_name": name, "co_qualname": name}
                                             if sys.version_info >= (3, 11) else {"co_name": name}))
    call.__name__ = call.__qualname__ = name
    cls.__name__ = cls.__qualname__ = name
    cls.__module__ = run.__module__ = direct.__module__ = module
    run.__name__ = run.__qualname__ = direct.__name__ = direct.__qualname__ = name
    function: JavaFunction = cls(run)
    function.__name__ = function.__qualname__ = name
    function.__module__ = module
    function.__doc__ = bind.__doc__
    function.__annotations__ = {key: eval(expression, _ANNOTATION_NAMES) for key, expression in annotations.items()}
    if signature is not None:
        function.__signature__ = signature.replace(
            parameters=[p.replace(annotation=function.__annotations__[p.name]) for p in signature.parameters.values()],
            return_annotation=function.__annotations__["return"])
    return function


def call_in(context: contextvars.Context, function: Callable[..., _T], *args: object) -> _T:
    """``function(*args)`` in a copy of ``context``: a coroutine's callback, called by Java."""
    return context.copy().run(function, *args)


def running_library() -> str | None:
    """The name of the async library running in this thread, or None. Asyncio is found in a loop's
    callbacks too (such as Java work run by the wake channel), outside any task, where sniffio is not."""
    try:
        import sniffio
    except ImportError:
        pass
    else:
        try:
            name: str = sniffio.current_async_library()
            return name
        except sniffio.AsyncLibraryNotFoundError:
            pass
    import asyncio

    return "asyncio" if asyncio._get_running_loop() is not None else None


def wrong_library(function: str, backend: str) -> str:
    """The message for awaiting ``function`` where its ``backend`` does not apply."""
    running = running_library()
    if running is None:
        where = ("no async library is running in this thread; await it inside asyncio.run(), "
                 "trio.run() or anyio.run()")
    else:
        where = f"{running} is running"
    return f"{function}() uses jawait's {backend} backend, but {where}"


def running_loop_library(operation: str) -> str:
    """"asyncio" or "trio": the library whose loop runs in this thread (for Java's EventLoop.current
    and awaitable conversion), with its backend imported; else RuntimeError."""
    running = running_library()
    if running not in ("asyncio", "trio"):
        raise RuntimeError(f"{operation} needs a running asyncio or trio event loop in this thread, but "
                           + ("none is running" if running is None else f"{running} is running"))
    importlib.import_module("jawait._backend_" + running)
    return running


class WakePipe:
    """An event loop's wake pipe and its Java channel, for backends: Java queues completions on the
    channel and writes one byte to the pipe, without the GIL; the loop watches ``read_fd``."""

    def __init__(self, name: str) -> None:
        self.read_fd, self._write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        os.set_blocking(self._write_fd, False)
        self.handle = _jawait.open_channel(self._write_fd, name)
        self._closed = False

    def take(self) -> tuple[list[typing.Any], list[typing.Any]] | None:
        """After a wake: what Java queued so far, as ``(done, failed)`` for the backend's deliver(), or None."""
        try:
            os.read(self.read_fd, 4096)
        except BlockingIOError:
            pass
        return _jawait.drain(self.handle)

    def close(self) -> tuple[list[typing.Any], list[typing.Any]] | None:
        """Refuses further completions; returns what was queued before, like :meth:`take`. Java has
        stopped writing by the time the pipe closes, so a reused file descriptor is never written."""
        if self._closed:
            return None
        self._closed = True
        batch = _jawait.close_channel(self.handle)
        os.close(self.read_fd)
        os.close(self._write_fd)
        return batch
