"""A trio program awaiting Java async functions (Vert.x futures); run by ShopApp."""
import time

import shop  # the Java module
import trio


async def show_price(item):
    print(f"[trio]   {item}: {await shop.fetch_price(item)}")


async def main():
    start = time.perf_counter()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(shop.sleep, 0.2)
        for item in ("tea", "coffee", "cocoa"):
            nursery.start_soon(show_price, item)
    print(f"[trio]   three HTTP calls and a 200 ms Vert.x timer, concurrently: {time.perf_counter() - start:.2f} s")

    with trio.move_on_after(0.05) as scope:
        await shop.sleep(10)
    print(f"[trio]   a 10 s timer under move_on_after(0.05): cancelled={scope.cancelled_caught} (Vert.x timer cancelled too)")

    try:
        await shop.fetch_price("unobtainium")
    except LookupError as error:
        print(f"[trio]   a failed Vert.x future raises {type(error).__name__}: {error}")


trio.run(main)
