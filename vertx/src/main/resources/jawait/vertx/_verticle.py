"""Python verticles: a Python module that Vert.x deploys (Java: ``dev.jawait.vertx.PythonVerticle``).

Each verticle instance runs on an event loop of its own (asyncio, uvloop or trio), on a thread of
its own; Java awaits :func:`start` and :func:`stop` there as the verticle's start and stop.
"""
import functools
import importlib
import inspect
import threading

from jawait.vertx import _tasks
from jawait.vertx._bus import EventBus

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

    def __init__(self, module, config, deployment_id, endpoint, vertx):
        self.module = module
        self.config = config
        self.deployment_id = deployment_id
        self.vertx = vertx
        self._consumers = set()
        self.bus = EventBus._of(endpoint, self._consumers)
        self._tasks = _tasks.TaskSet(f"verticle {module} ({deployment_id})")
        self._pending = []  # handlers not registered yet
        self._started = False

    def __repr__(self):
        return f"<Verticle {self.module} ({self.deployment_id})>"

    def handler(self, address, handler=None, **options):
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

    def _decorate(self, address, options, handler):
        self.handler(address, handler, **options)
        return handler

    def start_soon(self, function, *args):
        """Runs ``function(*args)`` as a background task until it ends or the verticle is
        undeployed (then it is cancelled); a failure is logged."""
        self._tasks.start_soon(function, *args)

    async def _register_pending(self):
        while self._pending:
            await self._pending.pop(0).register()

    async def _close(self):
        for consumer in list(self._consumers):
            await consumer.unregister()
        await self._tasks.aclose()


def current_verticle():
    """The verticle whose event loop runs this code; RuntimeError outside Python verticles."""
    verticle = getattr(_here, "verticle", None)
    if verticle is None:
        raise RuntimeError("no Python verticle runs here: jawait.vertx.current_verticle() and event_bus() work "
                           "in code that a PythonVerticle runs; elsewhere use EventBus(vertx)")
    return verticle


def event_bus():
    """The event bus of the verticle whose event loop runs this code (see :func:`current_verticle`)."""
    return current_verticle().bus


async def _call(module, name, verticle):
    function = getattr(module, name)
    arguments = (verticle,) if inspect.signature(function).parameters else ()
    awaitable = function(*arguments)
    if not inspect.isawaitable(awaitable):
        raise TypeError(f"{module.__name__}.{name}() must be an async function (async def {name}(verticle)), "
                        f"but it returned {type(awaitable).__name__}")
    await awaitable


async def start(module_name, config, deployment_id, endpoint, vertx):
    """Imports the verticle's module and awaits its ``start``, then the registration of the
    handlers it declared; returns the :class:`Verticle`. A failure leaves nothing behind."""
    module = importlib.import_module(module_name)
    if not callable(getattr(module, "start", None)):
        raise AttributeError(f"module {module_name!r} has no start(): a Python verticle defines "
                             f"async def start(verticle), and may define async def stop(verticle)")
    verticle = Verticle(module_name, config, deployment_id, endpoint, vertx)
    _here.verticle = verticle
    try:
        await _call(module, "start", verticle)
        await verticle._register_pending()
        verticle._started = True
    except BaseException:
        await verticle._close()
        raise
    return verticle


async def stop(verticle):
    """Awaits the module's ``stop`` (if any), then unregisters the verticle's consumers and cancels
    its tasks, waiting until they have ended."""
    try:
        module = importlib.import_module(verticle.module)
        if callable(getattr(module, "stop", None)):
            await _call(module, "stop", verticle)
    finally:
        await verticle._close()
