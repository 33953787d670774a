"""jawait's trio backend.

A task awaiting a Java future parks in ``wait_task_rescheduled``. Java wakes the run by writing
one byte to a pipe that a system task of the run watches (``wait_readable``), without the GIL; that
task drains every completion queued so far and reschedules the tasks in one batch. Each wait is
rescheduled exactly once: by the batch, or by trio itself after a successful abort.
"""
from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

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


if TYPE_CHECKING:  # mypy checks this module against the backend contract
    from jawait import _backend, _backend_trio

    _conforms: _backend.Backend = _backend_trio
