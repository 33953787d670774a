"""The contract between jawait and a backend module (``jawait/_backend_<name>.py``): what Java's
``AsyncBackend`` and ``jawait._async`` call on it, as a structural type that mypy checks each
backend against (Java's side of it is ``dev.jawait.async.AsyncBackend``). The asyncio and trio
backends implement all of it; the sniffio backend implements ``check`` only, and hands each await
over to one of the other two.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import _jawait


class Backend(Protocol):
    """A backend module. Each function runs on the thread of the loop it serves, with the GIL held."""

    NAME: str

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
