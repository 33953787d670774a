"""jawait's sniffio backend: finds out at the first await whether asyncio or trio runs the
coroutine (anyio on either included) and hands over to that backend.

Detection follows sniffio's protocol (its thread-local name, then its context variable, then a
running asyncio loop), read through module-level references: sniffio's own
``current_async_library()`` costs several times more on asyncio.
"""
from __future__ import annotations

import importlib
from asyncio.events import _get_running_loop
from collections.abc import Awaitable, Callable
from typing import Any

from sniffio import current_async_library_cvar, thread_local

from jawait import _async

NAME = "sniffio"
_BACKENDS: dict[str | None, Any] = {}  # library name -> backend module, imported on first use


def _backend(library: str | None) -> Any:
    backend = _BACKENDS.get(library)
    if backend is None and library in ("asyncio", "trio"):
        backend = _BACKENDS[library] = importlib.import_module(f"jawait._backend_{library}")
    return backend


def check(function: str) -> Callable[[int], Awaitable[Any]]:
    """The detected backend's park: it parks the coroutine itself, with no extra layer."""
    name = thread_local.name
    if name is None:
        name = current_async_library_cvar.get()
        if name is None and _get_running_loop() is not None:
            # Detected from the running loop itself: asyncio's own check would only repeat it.
            park: Callable[[int], Awaitable[Any]] = (_BACKENDS.get("asyncio") or _backend("asyncio")).park
            return park
    backend = _BACKENDS.get(name) or _backend(name)
    if backend is None:
        raise RuntimeError(_async.wrong_library(function, NAME))
    detected: Callable[[int], Awaitable[Any]] = backend.check(function)
    return detected
