"""The contract between jawait and a backend module (``jawait/_backend_<name>.py``): what Java's
``AsyncBackend`` and ``jawait._async`` call on it, as a structural type that mypy checks each
backend against (Java's side of it is ``dev.jawait.async.AsyncBackend``). The asyncio and trio
backends implement all of it; the sniffio backend implements ``check`` only, and hands each await
over to one of the other two. The second half of ``Backend`` is what libraries built on jawait
(``jawait.vertx``) need from the running library, so that they need not branch on its name.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Generator
from types import TracebackType
from typing import Any, Protocol, TypeVar

import _jawait

_T = TypeVar("_T")


class Cancellable(Protocol):
    """What a task is cancelled through: an asyncio task, a trio cancel scope."""

    def cancel(self) -> object:
        ...


class Event(Protocol):
    """An event of the running library (``asyncio.Event``, ``trio.Event``)."""

    def set(self) -> None:
        ...

    async def wait(self) -> Any:
        ...


class Future(Protocol):
    """A value that one task of the loop awaits and other code of the loop sets, once
    (``asyncio.Future``, in the part of it that jawait uses)."""

    def done(self) -> bool:
        """Whether it was set, or its task stopped waiting (cancelled)."""
        ...

    def set_result(self, value: Any, /) -> None:
        """Sets it and wakes its task; only while not :meth:`done`."""
        ...

    def __await__(self) -> Generator[Any, None, Any]:
        ...


class ParkingLot(Protocol):
    """Where tasks wait until another wakes one of them."""

    async def park(self) -> None:
        """Waits until unparked."""
        ...

    def unpark(self) -> bool:
        """Wakes one waiting task; False if none waits."""
        ...


class Interruption(Protocol):
    """A stretch of the current task (between :meth:`enter` and :meth:`exit`) that other code can
    cancel without cancelling the task, which goes on after it."""

    def enter(self) -> None:
        ...

    def arm(self) -> None:
        """Inside the stretch: from now on :meth:`cancel` stops it."""
        ...

    def cancel(self) -> None:
        ...

    def exit(self, kind: type[BaseException] | None, error: BaseException | None,
             traceback: TracebackType | None, cancelled: bool) -> tuple[bool, bool]:
        """Ends the stretch, which :meth:`cancel` was called on if ``cancelled``, as the exception
        ``kind`` (or None) leaves it: (whether cancel() cut it short, whether the exception is
        handled)."""
        ...


class Backend(Protocol):
    """A backend module. Each function runs on the thread of the loop it serves, with the GIL held."""

    NAME: str
    LATE_INTERRUPTION: bool
    """Whether an :class:`Interruption` may be entered once its stretch first suspends rather than
    before it starts (asyncio's enters nothing): code that ends without suspending then needs none."""

    def check(self, function: str, /) -> Callable[[int], Awaitable[Any]]:
        """Called as a Java async function is first awaited: raises RuntimeError (naming
        ``function``) unless this backend's library runs the loop; else returns ``park``."""
        ...

    def park(self, pending: int, /) -> Awaitable[Any]:
        """Parks the awaiting coroutine until Java completes the pending call ``pending``."""
        ...

    def yield_now(self) -> Awaitable[None]:
        """An awaitable that lets the loop run other work once (between the items of a stream)."""
        ...

    def channel(self) -> Any:
        """The Java channel of the running loop, through which Java wakes it."""
        ...

    def spawn(self, awaitable: Awaitable[Any], completion: _jawait.JavaObject, /) -> object:
        """Runs ``awaitable`` on the running loop; its outcome completes the Java future ``completion``.
        Returns what Java cancels it through."""
        ...

    def run_loop(self, control: _jawait.JavaObject, option: str, name: str, /) -> None:
        """Runs a loop for Java (``EventLoop.start``) until Java closes it."""
        ...

    # What libraries on jawait need from the running library (asyncio and trio backends only).

    def call_soon(self, function: Callable[[], object], /) -> None:
        """Calls ``function()`` once the running loop has run what is ready now (its current turn)."""
        ...

    async def sleep_forever(self) -> None:
        """Waits until cancelled."""
        ...

    async def shielded(self, function: Callable[..., Awaitable[_T]], /, *args: Any, **kwargs: Any) -> _T:
        """``await function(*args, **kwargs)`` to its end even if the caller is cancelled meanwhile;
        the cancellation is raised once it is done."""
        ...

    def start_system_task(self, function: Callable[..., Coroutine[Any, Any, object]], args: tuple[Any, ...], name: str,
                          on_done: Callable[[], object], /) -> Cancellable:
        """Starts ``function(*args)`` as a task that belongs to the run rather than to the caller (under
        trio, a system task in a cancel scope of its own); ``on_done()`` runs once it has ended, however."""
        ...

    def event(self) -> Event:
        ...

    def futures(self) -> Callable[[], Future]:
        """What makes new :class:`Future` s of the running loop (to call for each, on that loop)."""
        ...

    def parking_lot(self) -> ParkingLot:
        ...

    def interruption(self) -> Interruption:
        ...
