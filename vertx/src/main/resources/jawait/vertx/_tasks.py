"""What jawait.vertx needs from the running async library, asyncio (uvloop included) or trio; anyio
runs on either. Tasks that belong to a consumer or a verticle rather than to the code that starts
them (under trio, system tasks), parking for idle workers, and clean-up that a cancellation cannot
cut short. Each is the running library's backend's (``jawait._backend.Backend``).
"""
from __future__ import annotations

import importlib
import logging
import types
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from jawait import _async, _backend

LOG = logging.getLogger("jawait.vertx")
_T = TypeVar("_T")


def library() -> str:
    """"asyncio" or "trio": the library running this thread's event loop; else RuntimeError."""
    name = _async.running_library()
    if name not in ("asyncio", "trio"):
        raise RuntimeError("jawait.vertx needs a running asyncio or trio event loop (anyio runs on either), but "
                           + ("no async library is running in this thread; await it inside asyncio.run(), "
                              "trio.run() or anyio.run()" if name is None else f"{name} is running"))
    return name


def backend() -> _backend.Backend:
    """The backend of the library running this thread's event loop; else RuntimeError."""
    return cast(_backend.Backend, importlib.import_module("jawait._backend_" + library()))


async def shielded(function: Callable[..., Awaitable[_T]], *args: Any, **kwargs: Any) -> _T:
    """``await function(*args, **kwargs)`` to its end even if the caller is cancelled meanwhile; the
    cancellation is raised once it is done."""
    return await backend().shielded(function, *args, **kwargs)


async def sleep_forever() -> None:
    """Waits until cancelled."""
    await backend().sleep_forever()


class TaskSet:
    """Tasks that run until they end or the set is closed. A task that fails is logged with its
    traceback, not raised: it belongs to no caller. Under trio they are system tasks, each in a
    cancel scope of its own."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._backend = backend()
        self._running: set[_backend.Cancellable] = set()  # asyncio tasks, or trio cancel scopes
        self._closed = False
        self._emptied: _backend.Event | None = None  # set once the last task ends after close()

    def start_soon(self, function: Callable[..., Awaitable[object]], *args: Any) -> None:
        """Starts ``function(*args)`` as a task of this set."""
        if self._closed:
            raise RuntimeError(f"{self._name} is closed: it starts no more tasks")
        task: list[_backend.Cancellable] = []
        task.append(self._backend.start_system_task(self._run, (function, args), f"{self._name} task",
                                                    lambda: self._ended(task[0])))
        self._running.add(task[0])

    async def _run(self, function: Callable[..., Awaitable[object]], args: tuple[Any, ...]) -> None:
        try:
            await function(*args)
        except Exception:
            LOG.exception("a task of %s failed", self._name)

    def _ended(self, task: _backend.Cancellable) -> None:
        self._running.discard(task)
        if not self._running and self._emptied is not None:
            self._emptied.set()

    async def aclose(self, cancel: bool = True) -> None:
        """Cancels the tasks (unless ``cancel`` is false) and waits until every one has ended."""
        self._closed = True
        if not self._running:
            return
        self._emptied = self._backend.event()
        if cancel:
            for task in list(self._running):
                task.cancel()
        await self._backend.shielded(self._emptied.wait)


class Parking:
    """Where idle workers wait until there is work for one of them."""

    def __init__(self) -> None:
        self._lot = backend().parking_lot()

    async def park(self) -> None:
        """Waits until unparked."""
        await self._lot.park()

    def unpark(self) -> bool:
        """Wakes one waiting worker; False if none waits."""
        return self._lot.unpark()

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

    __slots__ = ("cancelled", "_running", "_interruption")

    def __init__(self, running: set[Interruptible], backend: _backend.Backend) -> None:
        self.cancelled = False
        self._running = running  # the set where armed ones wait for cancel()
        self._interruption = backend.interruption()

    def arm(self) -> None:
        """From now on until the block ends, :meth:`cancel` stops it."""
        self._interruption.arm()
        self._running.add(self)

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            self._interruption.cancel()

    def __enter__(self) -> Interruptible:
        self._interruption.enter()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: types.TracebackType | None) -> bool:
        self._running.discard(self)
        interrupted, handled = self._interruption.exit(kind, error, traceback, self.cancelled)
        if interrupted:
            raise Interrupted from None
        return handled
