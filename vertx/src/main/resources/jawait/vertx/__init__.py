"""Python on Vert.x: the event bus from Python, and Python verticles (jawait's vertx module).

Under asyncio (uvloop too), trio or anyio::

    from jawait.vertx import EventBus

    bus = EventBus(vertx)                 # a Vert.x instance that Java handed to Python
    reply = await bus.request("pricing.quote", {"item": "tea"}, timeout=5)
    reply.body, reply.headers             # {'price': 4.5}, {}
    bus.send("audit", {"event": "quote"})
    bus.publish("news", "tea is back")

    async def quote(msg):
        return {"price": PRICES[msg.body["item"]]}        # the reply

    async with bus.consumer("pricing.quote", quote):      # served while inside
        ...
    async with bus.consumer("audit") as messages:         # or read one by one
        async for msg in messages:
            await msg.reply("ok")                          # or msg.fail(404, "no such item")

A Python verticle is a module with ``async def start(verticle)`` (and optionally ``stop``), deployed
by Java (``new PythonVerticle("app.pricing")``) or with ``jawait run app.pricing``::

    async def start(verticle):
        verticle.handler("pricing.quote", quote)          # served until undeployed
"""
from jawait.vertx._bus import (
    DEFAULT_TIMEOUT,
    HANDLER_FAILED,
    UNAVAILABLE,
    Body,
    EventBus,
    EventBusError,
    Handler,
    Headers,
    Message,
    MessageConsumer,
    NoHandlerError,
    ReplyError,
    ReplyTimeoutError,
)
from jawait.vertx._verticle import Verticle, current_verticle, event_bus

__all__ = [
    "DEFAULT_TIMEOUT", "HANDLER_FAILED", "Body", "Handler", "Headers", "UNAVAILABLE", "EventBus", "EventBusError", "Message", "MessageConsumer",
    "NoHandlerError", "ReplyError", "ReplyTimeoutError", "Verticle", "current_verticle", "event_bus",
]
