"""jawait's asyncio backend (uvloop works too).

A coroutine awaiting a Java future awaits an asyncio future of its loop. Java wakes the loop by
writing one byte to a pipe the loop watches (``add_reader``), without the GIL; the reader drains
every completion queued so far and resolves the futures in one batch.
"""
from __future__ import annotations

import asyncio
import collections
import functools
import types
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import _jawait
from jawait import _async

NAME = "asyncio"
LATE_INTERRUPTION = True  # an interruption cancels the task it was armed in, and entering it does nothing
_T = TypeVar("_T")
_get_running_loop = asyncio.events._get_running_loop
_channels: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Channel] = weakref.WeakKeyDictionary()  # loop -> _Channel


def check(function: str) -> Callable[[int], Awaitable[Any]]:
    if _get_running_loop() is None:
        raise RuntimeError(_async.wrong_library(function, NAME))
    return park


def park(pending: int) -> asyncio.Future[Any]:
    """Parks the Java call on a new future of the running loop, which the channel resolves; returns it."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    _jawait.attach(pending, (_channels.get(loop) or _Channel(loop)).handle, future)
    return future


def yield_now() -> Awaitable[None]:
    """An awaitable that lets the loop run other work once."""
    return asyncio.sleep(0)


def deliver(done: list[Any], failed: list[Any]) -> None:
    """Resolves the futures of a batch; ones already cancelled by asyncio are left alone."""
    for i in range(0, len(done), 2):
        future = done[i]
        if not future.done():
            future.set_result(done[i + 1])
    for i in range(0, len(failed), 2):
        future = failed[i]
        if not future.done():
            error = failed[i + 1]
            if isinstance(error, StopIteration):  # futures refuse it, as it would end a generator
                wrapped = RuntimeError(f"the Java side failed with {error!r}")
                wrapped.__cause__ = error
                error = wrapped
            future.set_exception(error)


class _Channel:
    """One loop's wake pipe and its Java channel; closed when the loop is garbage collected."""

    def __init__(self, loop: asyncio.AbstractEventLoop, name: str = NAME) -> None:
        # asyncio has no hook for a loop's close(). A loop closed while tasks still awaited Java
        # futures would keep its channel (and, through the waiting futures, itself) alive, so the
        # channels of closed loops are closed whenever a new loop gets one.
        for other_loop, other in list(_channels.items()):
            if other_loop.is_closed():
                other.close()
                _channels.pop(other_loop, None)
        self._pipe = _async.WakePipe(name)  # a stable name (a metric tag), never an address
        self.handle = self._pipe.handle
        self._loop = weakref.ref(loop)
        loop.add_reader(self._pipe.read_fd, self._on_wake)
        _channels[loop] = self
        weakref.finalize(loop, self.close)

    def _on_wake(self) -> None:
        batch = self._pipe.take()
        if batch is not None:
            deliver(*batch)

    def close(self) -> None:
        """Refuses further completions and Java work; what was queued is dropped, as its loop will
        not run again."""
        loop = self._loop()
        if loop is not None and not loop.is_closed():
            loop.remove_reader(self._pipe.read_fd)
        self._pipe.close()


def channel() -> Any:
    """The Java channel of the running loop."""
    loop = asyncio.get_running_loop()
    return (_channels.get(loop) or _Channel(loop)).handle


def spawn(awaitable: Awaitable[Any], completion: _jawait.JavaObject) -> asyncio.Future[Any]:
    """Runs ``awaitable`` as a task of the running loop; its outcome completes a Java future.
    Returns the task, whose ``cancel()`` Java calls to cancel it."""
    task = asyncio.ensure_future(awaitable)
    task.add_done_callback(functools.partial(_settle, completion))
    return task


def _settle(completion: _jawait.JavaObject, task: asyncio.Future[Any]) -> None:
    if task.cancelled():
        _jawait.settle(completion, 2, None)
        return
    error = task.exception()
    if error is not None:
        _jawait.settle(completion, 1, error)
    else:
        _jawait.settle(completion, 0, task.result())


def run_loop(control: _jawait.JavaObject, flavor: str, name: str) -> None:
    """Runs an event loop for Java (EventLoop.start; flavor "asyncio" or "uvloop") until Java
    closes it, then shuts down like asyncio.run: what is left is cancelled and finishes first."""
    if flavor == "uvloop":
        import uvloop

        loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    channel = None
    try:
        channel = _Channel(loop, name)
        stopped = loop.create_future()
        def stop() -> None:
            if not stopped.done():
                stopped.set_result(None)

        _jawait.loop_started(control, channel.handle, stop)
        loop.run_until_complete(stopped)
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        if channel is not None:
            channel.close()
        asyncio.set_event_loop(None)
        loop.close()



# What libraries on jawait (jawait.vertx) need from the running library.

def call_soon(function: Callable[[], object]) -> None:
    asyncio.get_running_loop().call_soon(function)


async def sleep_forever() -> None:
    await asyncio.get_running_loop().create_future()


async def shielded(function: Callable[..., Awaitable[_T]], *args: Any, **kwargs: Any) -> _T:
    task: asyncio.Future[_T] = asyncio.ensure_future(function(*args, **kwargs))
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError:
            if task.cancelled():
                raise
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    return result


def start_system_task(function: Callable[..., Coroutine[Any, Any, object]], args: tuple[Any, ...], name: str,
                      on_done: Callable[[], object]) -> asyncio.Task[Any]:
    task: asyncio.Task[Any] = asyncio.get_running_loop().create_task(function(*args))
    task.add_done_callback(lambda _: on_done())
    return task


def event() -> asyncio.Event:
    return asyncio.Event()


def futures() -> Callable[[], asyncio.Future[Any]]:
    loop = asyncio.get_running_loop()
    if type(loop).create_future is asyncio.BaseEventLoop.create_future:  # asyncio's own: without its Python frame
        return functools.partial(asyncio.Future, loop=loop)
    return loop.create_future


class _ParkingLot:
    __slots__ = ("_waiting",)

    def __init__(self) -> None:
        self._waiting: collections.deque[asyncio.Future[None]] = collections.deque()

    async def park(self) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            await waiter
        finally:
            if not waiter.done():
                waiter.cancel()

    def unpark(self) -> bool:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return True
        return False


def parking_lot() -> _ParkingLot:
    return _ParkingLot()


class _Interruption:
    """Cancels the task it was armed in; the task is uncancelled as the stretch ends."""

    __slots__ = ("_task",)

    def __init__(self) -> None:
        self._task: asyncio.Task[Any] | None = None

    def enter(self) -> None:
        pass

    def arm(self) -> None:
        self._task = asyncio.current_task()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def exit(self, kind: type[BaseException] | None, error: BaseException | None,
             traceback: types.TracebackType | None, cancelled: bool) -> tuple[bool, bool]:
        if cancelled and kind is not None and issubclass(kind, asyncio.CancelledError):
            uncancel = getattr(self._task, "uncancel", None)  # Python 3.11+: the task is not being cancelled
            if uncancel is not None:
                uncancel()
            return True, False
        return False, False


def interruption() -> _Interruption:
    return _Interruption()

if TYPE_CHECKING:  # mypy checks this module against the backend contract
    from jawait import _backend, _backend_asyncio

    _conforms: _backend.Backend = _backend_asyncio
