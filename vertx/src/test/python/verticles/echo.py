"""Answers on config["address"] with what it knows of itself; ticks in the background; says goodbye."""
import asyncio
import threading

import sniffio

from jawait.vertx import current_verticle, event_bus

instances = []  # one entry per started instance: module globals are shared by instances
ticks = []
ticking_ended = []
stopped = []


async def start(verticle):
    instances.append(verticle.deployment_id)
    assert current_verticle() is verticle and event_bus() is verticle.bus

    @verticle.handler(verticle.config["address"])
    async def describe(msg):
        library = sniffio.current_async_library()
        loop = "trio" if library == "trio" else type(asyncio.get_running_loop()).__module__.split(".")[0]
        return {"config": verticle.config, "deployment": verticle.deployment_id, "library": library, "loop": loop,
                "thread": threading.get_ident(), "asked": msg.body}

    verticle.start_soon(tick, verticle)


async def tick(verticle):
    import anyio

    try:
        while True:
            ticks.append(verticle.deployment_id)
            await anyio.sleep(0.01)
    finally:
        ticking_ended.append(verticle.deployment_id)


async def stop(verticle):
    verticle.bus.publish(verticle.config["address"] + ".stopped", verticle.deployment_id)
    stopped.append(verticle.deployment_id)
