"""Starts a task and a handler; its stop() fails, yet both still end."""
import anyio

ended = []


async def start(verticle):
    async def answer(msg):
        return "here"

    verticle.handler(verticle.config["address"], answer)
    verticle.start_soon(wait_then_note)


async def wait_then_note():
    try:
        await anyio.sleep_forever()
    finally:
        ended.append("task")


async def stop():
    raise RuntimeError("stop failed")
