"""Python async code that the shop's Vert.x HTTP handler awaits (on an asyncio loop jawait runs)."""
import asyncio

import shop  # the Java module


async def quote(item, quantity):
    price = await shop.fetch_price(item)  # a Java async function: an HTTP call back to the server
    await asyncio.sleep(0.01)  # stands for real work
    discount = 0.1 if quantity >= 10 else 0.0
    return {"item": item, "quantity": quantity, "unit_price": price,
            "total": round(price * quantity * (1 - discount), 2)}


async def report(items):
    """A price list as CSV lines (bytes), produced as prices arrive: the Vert.x server streams it."""
    yield b"item,unit_price\n"
    for item in items:
        try:
            price = await shop.fetch_price(item)
        except LookupError:
            yield f"{item},unknown\n".encode()
        else:
            yield f"{item},{price}\n".encode()
        await asyncio.sleep(0.05)  # stands for slow work: each line reaches the client as it is made
