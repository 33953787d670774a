"""Python verticles: a Python module that Vert.x deploys (Java: ``dev.jawait.vertx.PythonVerticle``).

Each verticle instance runs on an event loop of its own (asyncio, uvloop or trio), on a thread of
its own; Java awaits :func:`start` and :func:`stop` there as the verticle's start and stop.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import threading
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any, TypeVar, overload

from jawait import JavaObject
from jawait._errors import explain_missing_module
from jawait.vertx import _tasks
from jawait.vertx._bus import EventBus, Handler, MessageConsumer

_H = TypeVar("_H", bound=Handler)

_here = threading.local()  # the verticle whose event loop runs on this thread


class Verticle:
    """What a Python verticle's ``async def start(verticle)`` and ``async def stop(verticle)`` get.

    - ``config``: the deployment's configuration (a dict; ``--conf`` on the command line)
    - ``deployment_id``: Vert.x's id of the deployment
    - ``bus``: the event bus (:class:`jawait.vertx.EventBus`)
    - ``vertx``: the Vert.x instance, to hand to Java functions

    Consumers registered through ``bus`` or :meth:`handler`, and tasks started with
    :meth:`start_soon`, end when the verticle is undeployed, before the undeployment completes.
    """

    module: str
    config: dict[str, Any]
    deployment_id: str
    bus: EventBus
    vertx: JavaObject

    def __init__(self, module: str, config: dict[str, Any], deployment_id: str, endpoint: JavaObject,
                 vertx: JavaObject) -> None:
        self.module = module
        self.config = config
        self.deployment_id = deployment_id
        self.vertx = vertx
        self._consumers: set[MessageConsumer] = set()
        self.bus = EventBus._of(endpoint, self._consumers)
        self._tasks = _tasks.TaskSet(f"verticle {module} ({deployment_id})")
        self._pending: list[MessageConsumer] = []  # handlers not registered yet
        self._started = False

    def __repr__(self) -> str:
        return f"<Verticle {self.module} ({self.deployment_id})>"

    @overload
    def handler(self, address: str, handler: None = None, *, local: bool = ..., concurrency: int = ...,
                max_buffered: int = ...) -> Callable[[_H], _H]: ...

    @overload
    def handler(self, address: str, handler: Handler, *, local: bool = ..., concurrency: int = ...,
                max_buffered: int = ...) -> MessageConsumer: ...

    def handler(self, address: str, handler: Handler | None = None, **options: Any) -> Any:
        """Serves ``address`` with ``async def handler(msg)`` until the verticle is undeployed (see
        :meth:`EventBus.consumer` for the handler and the options). Registered before ``start``
        completes when called during it. Works as a decorator too::

            @verticle.handler("pricing.quote")
            async def quote(msg):
                return {"price": PRICES[msg.body["item"]]}
        """
        if handler is None:
            return functools.partial(self._decorate, address, options)
        consumer = self.bus.consumer(address, handler, **options)
        self._pending.append(consumer)
        if self._started:
            self._tasks.start_soon(self._register_pending)
        return consumer

    def _decorate(self, address: str, options: dict[str, Any], handler: _H) -> _H:
        self.handler(address, handler, **options)
        return handler

    def start_soon(self, function: Callable[..., Awaitable[object]], *args: Any) -> None:
        """Runs ``function(*args)`` as a background task until it ends or the verticle is
        undeployed (then it is cancelled); a failure is logged."""
        self._tasks.start_soon(function, *args)

    async def _register_pending(self) -> None:
        while self._pending:
            await self._pending.pop(0).register()

    async def _close(self) -> None:
        for consumer in list(self._consumers):
            await consumer.unregister()
        await self._tasks.aclose()


def current_verticle() -> Verticle:
    """The verticle whose event loop runs this code; RuntimeError outside Python verticles."""
    verticle: Verticle | None = getattr(_here, "verticle", None)
    if verticle is None:
        raise RuntimeError("no Python verticle runs here: jawait.vertx.current_verticle() and event_bus() work "
                           "in code that a PythonVerticle runs; elsewhere use EventBus(vertx)")
    return verticle


def event_bus() -> EventBus:
    """The event bus of the verticle whose event loop runs this code (see :func:`current_verticle`)."""
    return current_verticle().bus


async def _call(module: ModuleType, name: str, verticle: Verticle) -> None:
    function = getattr(module, name)
    arguments = (verticle,) if inspect.signature(function).parameters else ()
    awaitable = function(*arguments)
    if not inspect.isawaitable(awaitable):
        raise TypeError(f"{module.__name__}.{name}() must be an async function (async def {name}(verticle)), "
                        f"but it returned {type(awaitable).__name__}")
    await awaitable


async def start(module_name: str, config: dict[str, Any], deployment_id: str, endpoint: JavaObject,
                vertx: JavaObject) -> Verticle:
    """Imports the verticle's module and awaits its ``start``, then the registration of the
    handlers it declared; returns the :class:`Verticle`. A failure leaves nothing behind."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        explain_missing_module(error)
        raise
    if not callable(getattr(module, "start", None)):
        raise AttributeError(f"module {module_name!r} has no start(): a Python verticle defines "
                             f"async def start(verticle), and may define async def stop(verticle)")
    verticle = Verticle(module_name, config, deployment_id, endpoint, vertx)
    _here.verticle = verticle
    try:
        await _call(module, "start", verticle)
        await verticle._register_pending()
        verticle._started = True
    except BaseException as error:
        explain_missing_module(error)  # an import inside start()
        await verticle._close()
        raise
    return verticle


async def stop(verticle: Verticle) -> None:
    """Awaits the module's ``stop`` (if any), then unregisters the verticle's consumers and cancels
    its tasks, waiting until they have ended."""
    try:
        module = importlib.import_module(verticle.module)
        if callable(getattr(module, "stop", None)):
            await _call(module, "stop", verticle)
    finally:
        await verticle._close()
