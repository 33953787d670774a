"""Background tasks whose clean-up awaits: undeploying completes only after it."""
import anyio

events = []


async def start(verticle):
    verticle.start_soon(work, "a")
    verticle.start_soon(work, "b")

    @verticle.handler(verticle.config["address"])
    async def stuck(msg):
        events.append("handler started")
        try:
            await anyio.sleep_forever()
        finally:
            events.append("handler cancelled")


async def work(name):
    try:
        await anyio.sleep_forever()
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.sleep(0.2)
        events.append(f"{name} cleaned up")
