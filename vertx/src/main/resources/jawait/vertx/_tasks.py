"""What jawait.vertx needs from the running async library, asyncio (uvloop included) or trio; anyio
runs on either. Tasks that belong to a consumer or a verticle rather than to the code that starts
them (under trio, system tasks), parking for idle workers, and clean-up that a cancellation cannot
cut short.
"""
from __future__ import annotations

import asyncio
import collections
import logging
import types
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from jawait import _async

LOG = logging.getLogger("jawait.vertx")
_T = TypeVar("_T")


def library() -> str:
    """"asyncio" or "trio": the library running this thread's event loop; else RuntimeError."""
    name = _async.running_library()
    if name not in ("asyncio", "trio"):
        raise RuntimeError("jawait.vertx needs a running asyncio or trio event loop (anyio runs on either), but "
                           + ("none is running" if name is None else f"{name} is running"))
    return name


async def shielded(function: Callable[..., Awaitable[_T]], *args: Any, **kwargs: Any) -> _T:
    """``await function(*args, **kwargs)`` to its end even if the caller is cancelled meanwhile; the
    cancellation is raised once it is done."""
    if library() == "trio":
        import trio

        with trio.CancelScope(shield=True):
            return await function(*args, **kwargs)
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


def call_soon(function: Callable[[], object]) -> None:
    """Calls ``function()`` once the running loop has run what is ready now (its current turn)."""
    if library() == "trio":
        import trio

        trio.lowlevel.current_trio_token().run_sync_soon(function)
    else:
        asyncio.get_running_loop().call_soon(function)


async def sleep_forever() -> None:
    """Waits until cancelled."""
    if library() == "trio":
        import trio

        await trio.sleep_forever()
    else:
        await asyncio.get_running_loop().create_future()


class TaskSet:
    """Tasks that run until they end or the set is closed. A task that fails is logged with its
    traceback, not raised: it belongs to no caller. Under trio they are system tasks, each in a
    cancel scope of its own."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._library = library()
        self._running: set[Any] = set()  # asyncio tasks, or trio cancel scopes
        self._closed = False
        self._emptied: Any = None  # trio: set once the last task ends after close()

    def start_soon(self, function: Callable[..., Awaitable[object]], *args: Any) -> None:
        """Starts ``function(*args)`` as a task of this set."""
        if self._closed:
            raise RuntimeError(f"{self._name} is closed: it starts no more tasks")
        if self._library == "asyncio":
            task = asyncio.get_running_loop().create_task(self._run(function, args))
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        else:
            import trio

            scope = trio.CancelScope()
            self._running.add(scope)
            trio.lowlevel.spawn_system_task(self._run_in, scope, function, args, name=f"{self._name} task")

    async def _run(self, function: Callable[..., Awaitable[object]], args: tuple[Any, ...]) -> None:
        try:
            await function(*args)
        except Exception:
            LOG.exception("a task of %s failed", self._name)

    async def _run_in(self, scope: Any, function: Callable[..., Awaitable[object]], args: tuple[Any, ...]) -> None:
        try:
            with scope:
                await self._run(function, args)
        finally:
            self._running.discard(scope)
            if not self._running and self._emptied is not None:
                self._emptied.set()

    async def aclose(self, cancel: bool = True) -> None:
        """Cancels the tasks (unless ``cancel`` is false) and waits until every one has ended."""
        self._closed = True
        if not self._running:
            return
        if self._library == "asyncio":
            tasks = list(self._running)
            if cancel:
                for task in tasks:
                    task.cancel()
            await shielded(asyncio.gather, *tasks, return_exceptions=True)
        else:
            import trio

            self._emptied = trio.Event()
            if cancel:
                for scope in list(self._running):
                    scope.cancel()
            await shielded(self._emptied.wait)


class Parking:
    """Where idle workers wait until there is work for one of them."""

    def __init__(self) -> None:
        self._lot: Any
        self._waiting: collections.deque[asyncio.Future[None]]
        if library() == "trio":
            import trio

            self._lot = trio.lowlevel.ParkingLot()
        else:
            self._lot = None
            self._waiting = collections.deque()

    async def park(self) -> None:
        """Waits until unparked."""
        if self._lot is not None:
            await self._lot.park()
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            await waiter
        finally:
            if not waiter.done():
                waiter.cancel()

    def unpark(self) -> bool:
        """Wakes one waiting worker; False if none waits."""
        if self._lot is not None:
            return bool(self._lot.unpark())
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return True
        return False

    def unpark_all(self) -> None:
        """Wakes every waiting worker."""
        while self.unpark():
            pass


class Interrupted(Exception):
    """Raised at the end of an :class:`Interruptible` block that :meth:`Interruptible.cancel` stopped."""


class Interruptible:
    """One stretch of the current task (a ``with`` block, such as one handler's run) that other
    code can cancel without cancelling the task, which goes on after the block; the block then
    ends with :class:`Interrupted`. Cancellable once :meth:`arm` ran inside the block (a handler
    that suspended), until the block ends. Under trio a cancel scope, so enter it before anything
    that may enter cancel scopes of its own; under asyncio nothing until armed."""

    __slots__ = ("cancelled", "_running", "_scope", "_task")

    def __init__(self, running: set[Interruptible], trio_run: bool) -> None:
        self.cancelled = False
        self._running = running  # the set where armed ones wait for cancel()
        self._task: asyncio.Task[Any] | None = None
        self._scope: Any
        if trio_run:
            import trio

            self._scope = trio.CancelScope()
        else:
            self._scope = None

    def arm(self) -> None:
        """From now on until the block ends, :meth:`cancel` stops it."""
        if self._scope is None:
            self._task = asyncio.current_task()
        self._running.add(self)

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            if self._scope is not None:
                self._scope.cancel()
            elif self._task is not None:
                self._task.cancel()

    def __enter__(self) -> Interruptible:
        if self._scope is not None:
            self._scope.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: types.TracebackType | None) -> bool:
        self._running.discard(self)
        if self._scope is not None:
            handled = self._scope.__exit__(kind, error, traceback)
            if self._scope.cancelled_caught:
                raise Interrupted
            return bool(handled)
        if self.cancelled and kind is not None and issubclass(kind, asyncio.CancelledError):
            uncancel = getattr(self._task, "uncancel", None)  # Python 3.11+: the task is not being cancelled
            if uncancel is not None:
                uncancel()
            raise Interrupted from None
        return False
