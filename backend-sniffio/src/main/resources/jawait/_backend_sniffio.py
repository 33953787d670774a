"""jawait's sniffio backend: finds out at the first await whether asyncio or trio runs the
coroutine (anyio on either included) and hands over to that backend.

Detection follows sniffio's protocol (its thread-local name, then its context variable, then a
running asyncio loop), read through module-level references: sniffio's own
``current_async_library()`` costs several times more on asyncio.
"""
import importlib
from asyncio.events import _get_running_loop

from sniffio import current_async_library_cvar, thread_local

from jawait import _async

NAME = "sniffio"
_BACKENDS = {}  # library name -> backend module, imported on first use


def _backend(library):
    backend = _BACKENDS.get(library)
    if backend is None and library in ("asyncio", "trio"):
        backend = _BACKENDS[library] = importlib.import_module("jawait._backend_" + library)
    return backend


def _library():
    name = thread_local.name
    if name is None:
        name = current_async_library_cvar.get()
        if name is None and _get_running_loop() is not None:
            name = "asyncio"
    return name


def check(function):
    backend = _backend(_library())
    if backend is None:
        raise RuntimeError(_async.wrong_library(function, NAME))
    return backend, backend.check(function)


async def park(pending, state):
    backend, inner = state
    return await backend.park(pending, inner)
