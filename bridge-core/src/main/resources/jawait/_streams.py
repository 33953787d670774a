"""Python async iterables as Java Flow publishers: the pump that feeds one Java subscription.

The pump calls ``__anext__`` only when the Java subscriber has demand. Items that the iterator
produces without suspending are handed to Java together, in one call; as soon as it suspends
(real I/O), what was gathered is handed over first, so nothing waits behind a slow item. After
each hand-over of a full batch the pump yields to its event loop, so an iterator that never
suspends cannot monopolize the loop (nor delay a cancellation from Java).
"""
from __future__ import annotations

import importlib
import inspect
import types
import typing

import _jawait
from jawait._async import Pending

if typing.TYPE_CHECKING:
    from collections.abc import AsyncIterable, Callable, Generator

_demand = _jawait.publisher_demand
_push = _jawait.publisher_push
_cancel = _jawait.cancel
FLUSH_AT = 1024  # hand over at least this often, even when items come without suspending


@types.coroutine
def resume(step: Generator[typing.Any, typing.Any, typing.Any],
           suspended_on: object) -> Generator[typing.Any, typing.Any, typing.Any]:
    """Finishes ``step``, an awaitable that suspended on ``suspended_on`` when first run by hand, as
    ``await`` would: what it waits for goes to the event loop, what the loop sends or throws in
    goes back to it. For code that runs a step by hand to learn whether it suspends (the pump
    here, jawait.vertx's consumers)."""
    while True:
        try:
            sent = yield suspended_on
        except GeneratorExit:
            _abandon(step)
            raise
        except BaseException as error:  # cancellation, or whatever the event loop throws in
            try:
                suspended_on = step.throw(error)
            except StopIteration as done:
                return done.value
        else:
            try:
                suspended_on = step.send(sent)
            except StopIteration as done:
                return done.value


def _abandon(step: Generator[typing.Any, typing.Any, typing.Any]) -> None:
    """Ends ``step``, an ``__anext__`` left suspended, so that the iterator is no longer running and
    ``aclose()`` can finish it (closing the step itself does not, before Python 3.13)."""
    try:
        step.throw(GeneratorExit)
    except (GeneratorExit, StopIteration, StopAsyncIteration):
        pass


def _async_iterable(source: AsyncIterable[typing.Any] | Callable[..., AsyncIterable[typing.Any]],
                    arguments: list[typing.Any]) -> AsyncIterable[typing.Any]:
    if hasattr(source, "__aiter__"):
        return source
    if not callable(source):
        raise TypeError(f"a Java stream needs an async iterable, or a function returning one, "
                        f"not {type(source).__name__}")
    iterable = source(*arguments)
    if not hasattr(iterable, "__aiter__"):
        close = getattr(iterable, "close", None)
        if inspect.iscoroutine(iterable) and close is not None:
            close()  # no "never awaited" warning for a coroutine function passed by mistake
        raise TypeError(f"a Java stream needs an async iterable; {getattr(source, '__qualname__', source)!r} "
                        f"returned {type(iterable).__name__} (use an async generator function: async def with yield)")
    return iterable


async def pump(source: AsyncIterable[typing.Any] | Callable[..., AsyncIterable[typing.Any]], sink: _jawait.JavaObject,
               backend_module: str, arguments: list[typing.Any]) -> bool:
    """Feeds ``sink`` (the Java subscription) from ``source``, one item per unit of demand.

    ``source`` is an async iterable, or a function returning one (an async generator function),
    which is then called here, on the loop, with ``arguments``. Returns True once the iterable is
    exhausted, False if Java cancelled first; raises what the iterable raises (after handing over
    the items before it). An unfinished iterator is closed with ``aclose()``.
    """
    iterable = _async_iterable(source, arguments)
    backend = importlib.import_module(backend_module)
    park = backend.park  # the pump runs on this backend's loop: nothing to check
    yield_now = backend.yield_now
    iterator = iterable.__aiter__()
    batch: list[typing.Any] = []
    exhausted = False
    try:
        credit = 0
        while True:
            if not credit:
                if batch:
                    if not _push(sink, batch):
                        return False  # cancelled from Java
                    batch = []
                credit = _demand(sink)
                if type(credit) is Pending:
                    pending = credit
                    try:
                        credit = await park(pending)
                    except BaseException:
                        _cancel(pending)
                        raise
                if not credit:
                    return False  # cancelled from Java
            step = iterator.__anext__().__await__()
            try:
                suspended_on = step.send(None)
            except StopIteration as produced:  # the item was ready without suspending
                batch.append(produced.value)
            else:
                if batch:
                    if not _push(sink, batch):
                        _abandon(step)  # Java cancelled while the next item was on its way
                        return False
                    batch = []
                batch.append(await resume(step, suspended_on))
            credit -= 1
            if len(batch) >= FLUSH_AT:
                if not _push(sink, batch):
                    return False
                batch = []
                await yield_now()
    except StopAsyncIteration:
        exhausted = True
        if batch:
            _push(sink, batch)
        return True
    except Exception:
        if batch:
            _push(sink, batch)
        raise
    finally:
        if not exhausted:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
