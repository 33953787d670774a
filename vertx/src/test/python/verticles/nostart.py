"""A module that is no verticle: it has no start()."""


async def stop(verticle):
    pass
