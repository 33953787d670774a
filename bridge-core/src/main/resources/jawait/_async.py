"""Coroutines for Java async functions, and what backends share (used by jawait's Java side).

A Java async function is exported as ``async def``: calling it makes a genuine coroutine
(``asyncio.iscoroutine``, ``RuntimeWarning`` when never awaited, ``RuntimeError`` when awaited
twice), and the Java method runs only when the coroutine first runs. If the Java future is already
complete the result comes back at once, with no suspension; otherwise the backend parks the
coroutine until Java wakes the loop.
"""
import importlib
import inspect

import _jawait

_Pending = _jawait.Pending


def async_function(start, module, backend_module):
    """The coroutine function exported for a Java async function.

    ``start`` is a Java builtin that converts the arguments, runs the Java method and returns
    either the converted result or a ``_jawait.Pending``; ``backend_module`` implements
    ``check(function_name) -> state`` (raising RuntimeError under a library it does not serve)
    and ``async park(pending, state) -> result``.
    """
    backend = importlib.import_module(backend_module)
    check = backend.check
    park = backend.park
    name = start.__name__
    qualified = f"{module}.{name}"

    async def function(*args, **kwargs):
        state = check(qualified)
        result = start(*args, **kwargs)
        if type(result) is _Pending:
            return await park(result, state)
        return result

    function.__name__ = function.__qualname__ = name
    function.__module__ = module
    function.__doc__ = start.__doc__
    try:
        function.__signature__ = inspect.signature(start)
    except ValueError:  # a default without a literal form: no signature to show
        pass
    return function


def running_library():
    """The name of the async library running in this thread, or None."""
    try:
        import sniffio
    except ImportError:
        import asyncio

        return "asyncio" if asyncio._get_running_loop() is not None else None
    try:
        return sniffio.current_async_library()
    except sniffio.AsyncLibraryNotFoundError:
        return None


def wrong_library(function, backend):
    """The message for awaiting ``function`` where its ``backend`` does not apply."""
    running = running_library()
    if running is None:
        where = ("no async library is running in this thread; await it inside asyncio.run(), "
                 "trio.run() or anyio.run()")
    else:
        where = f"{running} is running"
    return f"{function}() uses jawait's {backend} backend, but {where}"


def backend_for_running_loop(operation):
    """The backend module serving the library that runs in this thread (for Java's EventLoop.current
    and awaitable conversion), or RuntimeError."""
    running = running_library()
    if running not in ("asyncio", "trio"):
        raise RuntimeError(f"{operation} needs a running asyncio or trio event loop in this thread, but "
                           + ("none is running" if running is None else f"{running} is running"))
    return importlib.import_module("jawait._backend_" + running)
