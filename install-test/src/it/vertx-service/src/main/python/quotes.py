"""The service's Python side: a coroutine that the Vert.x handler awaits."""
import asyncio

PRICES = {"tea": 4.5, "coffee": 6.0}


async def quote(item):
    await asyncio.sleep(0.01)  # stands for real async work
    if item not in PRICES:
        raise LookupError(f"no price for {item!r}")
    return f"{item}: {PRICES[item]:.2f}"
