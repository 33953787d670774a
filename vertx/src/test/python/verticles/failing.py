"""Registers a handler, then fails to start."""


async def start(verticle):
    async def never(msg):
        return "unreachable"

    verticle.handler(verticle.config["address"], never)
    async with verticle.bus.consumer(verticle.config["address"] + ".early"):
        pass
    raise ValueError(f"no database at {verticle.config['database']}")
