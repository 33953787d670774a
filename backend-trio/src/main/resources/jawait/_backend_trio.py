"""jawait's trio backend.

A task awaiting a Java future parks in ``wait_task_rescheduled``. Java wakes the run by writing
one byte to a pipe that a system task of the run watches (``wait_readable``), without the GIL; that
task drains every completion queued so far and reschedules the tasks in one batch. Each wait is
rescheduled exactly once: by the batch, or by trio itself after a successful abort.
"""
from __future__ import annotations

import contextvars
import functools
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import TYPE_CHECKING, Any, TypeVar

import trio
from outcome import Error, Value
from trio.lowlevel import (
    Abort,
    RunVar,
    current_task,
    reschedule,
    spawn_system_task,
    wait_readable,
    wait_task_rescheduled,
)

import _jawait
from jawait import _async

NAME = "trio"
LATE_INTERRUPTION = False  # an interruption is a cancel scope, entered before anything that may enter scopes of its own
_T = TypeVar("_T")
_CHANNEL: RunVar[_async.WakePipe] = RunVar("jawait_channel")


def check(function: str) -> Callable[[int], Awaitable[Any]]:
    try:
        current_task()
    except RuntimeError:  # not inside trio.run
        raise RuntimeError(_async.wrong_library(function, NAME)) from None
    return park


def park(pending: int) -> Awaitable[Any]:
    """Parks the Java call for the current task; returns the wait, which the channel ends."""
    _jawait.attach(pending, _pipe().handle, current_task())
    return wait_task_rescheduled(functools.partial(_abort, pending))


def _abort(pending: int, raise_cancel: Callable[[], object]) -> Abort:
    # SUCCEEDED: Java gave up the work, trio reschedules this task with Cancelled.
    # FAILED: the completion is already queued; the next batch reschedules this task.
    return Abort.SUCCEEDED if _jawait.cancel(pending) else Abort.FAILED


def yield_now() -> Awaitable[None]:
    """An awaitable that lets the run schedule other tasks once."""
    return trio.lowlevel.checkpoint()


def deliver(done: list[Any], failed: list[Any]) -> None:
    for i in range(0, len(done), 2):
        reschedule(done[i], Value(done[i + 1]))
    for i in range(0, len(failed), 2):
        reschedule(failed[i], Error(failed[i + 1]))


async def _serve(pipe: _async.WakePipe) -> None:
    """The system task that delivers what Java completes, until the run ends."""
    try:
        while True:
            await wait_readable(pipe.read_fd)
            batch = pipe.take()
            if batch is not None:
                deliver(*batch)
    finally:
        # The run is ending. Completions queued before this point still reschedule their
        # tasks (whose aborts answered FAILED); later ones are refused and those tasks abort.
        batch = pipe.close()
        if batch is not None:
            deliver(*batch)


def _pipe(name: str = NAME) -> _async.WakePipe:
    """The running trio run's wake pipe, made (with the task that serves it) on first use."""
    try:
        return _CHANNEL.get()
    except LookupError:
        created = _async.WakePipe(name)  # a stable name (a metric tag), never an address
        try:
            spawn_system_task(_serve, created, name="jawait wake channel")
        except BaseException:
            created.close()
            raise
        _CHANNEL.set(created)
        return created


def channel(name: str = NAME) -> Any:
    """The Java channel of the running trio run."""
    return _pipe(name).handle


def spawn(awaitable: Awaitable[Any], completion: _jawait.JavaObject) -> trio.CancelScope:
    """Runs ``awaitable`` as a system task of the running trio run (in the caller's context); its
    outcome completes a Java future. Returns the task's cancel scope, whose ``cancel()`` Java calls
    to cancel it."""
    scope = trio.CancelScope()
    spawn_system_task(_run, awaitable, completion, scope, name="jawait awaitable",
                      context=contextvars.copy_context())
    return scope


async def _run(awaitable: Awaitable[Any], completion: _jawait.JavaObject, scope: trio.CancelScope) -> None:
    try:
        with scope:
            value = await awaitable
            _jawait.settle(completion, 0, value)
            return
    except trio.Cancelled:  # the run is ending
        _jawait.settle(completion, 2, None)
        raise
    except BaseException as error:  # a system task must not raise: the error goes to Java
        _jawait.settle(completion, 1, error)
        return
    _jawait.settle(completion, 2, None)  # Java cancelled it through the scope


def run_loop(control: _jawait.JavaObject, _option: str, name: str) -> None:
    """Runs a trio run for Java (EventLoop.start) until Java closes it; what is left is cancelled."""
    async def main() -> None:
        with trio.CancelScope() as scope:
            _jawait.loop_started(control, channel(name), scope.cancel)
            await trio.sleep_forever()

    trio.run(main)



# What libraries on jawait (jawait.vertx) need from the running library.

def call_soon(function: Callable[[], object]) -> None:
    trio.lowlevel.current_trio_token().run_sync_soon(function)


async def sleep_forever() -> None:
    await trio.sleep_forever()


async def shielded(function: Callable[..., Awaitable[_T]], *args: Any, **kwargs: Any) -> _T:
    with trio.CancelScope(shield=True):
        result = await function(*args, **kwargs)
    return result


def start_system_task(function: Callable[..., Coroutine[Any, Any, object]], args: tuple[Any, ...], name: str,
                      on_done: Callable[[], object]) -> trio.CancelScope:
    scope = trio.CancelScope()
    spawn_system_task(_run_in, scope, function, args, on_done, name=name)
    return scope


async def _run_in(scope: trio.CancelScope, function: Callable[..., Awaitable[object]], args: tuple[Any, ...],
                  on_done: Callable[[], object]) -> None:
    try:
        with scope:
            await function(*args)
    finally:
        on_done()


def event() -> trio.Event:
    return trio.Event()


class _Future:
    """A value that one task awaits and other code of the run sets, once. A task cancelled while it
    waits stops waiting, and the future is done: a value set later is not set."""

    __slots__ = ("_done", "_value", "_task")

    def __init__(self) -> None:
        self._done = False
        self._value: Any = None
        self._task: trio.lowlevel.Task | None = None

    def done(self) -> bool:
        return self._done

    def set_result(self, value: Any) -> None:
        if self._done:
            raise RuntimeError("this future is done already")
        self._done = True
        self._value = value
        if self._task is not None:
            reschedule(self._task, Value(value))
            self._task = None

    def __await__(self) -> Generator[Any, None, Any]:
        return self._wait().__await__()

    async def _wait(self) -> Any:
        if self._done:
            await trio.lowlevel.checkpoint()
            return self._value
        self._task = current_task()
        return await wait_task_rescheduled(self._abort)

    def _abort(self, raise_cancel: Callable[[], object]) -> Abort:
        self._task = None
        self._done = True
        return Abort.SUCCEEDED


def futures() -> Callable[[], _Future]:
    return _Future


class _ParkingLot:
    __slots__ = ("_lot",)

    def __init__(self) -> None:
        self._lot = trio.lowlevel.ParkingLot()

    async def park(self) -> None:
        await self._lot.park()

    def unpark(self) -> bool:
        return bool(self._lot.unpark())


def parking_lot() -> _ParkingLot:
    return _ParkingLot()


class _Interruption:
    """A cancel scope: enter it before anything that may enter cancel scopes of its own."""

    __slots__ = ("_scope",)

    def __init__(self) -> None:
        self._scope = trio.CancelScope()

    def enter(self) -> None:
        self._scope.__enter__()

    def arm(self) -> None:
        pass

    def cancel(self) -> None:
        self._scope.cancel()

    def exit(self, kind: type[BaseException] | None, error: BaseException | None,
             traceback: types.TracebackType | None, cancelled: bool) -> tuple[bool, bool]:
        handled = self._scope.__exit__(kind, error, traceback)
        return self._scope.cancelled_caught, bool(handled)


def interruption() -> _Interruption:
    return _Interruption()

if TYPE_CHECKING:  # mypy checks this module against the backend contract
    from jawait import _backend, _backend_trio

    _conforms: _backend.Backend = _backend_trio
