"""An asyncio program awaiting Java async functions (Vert.x futures); run by ShopApp."""
import asyncio
import time

import shop  # the Java module


async def main():
    start = time.perf_counter()
    prices = await asyncio.gather(*(shop.fetch_price(item) for item in ("tea", "coffee", "cocoa")),
                                  shop.sleep(0.2))
    print(f"[asyncio] gathered {prices[:3]} and a 200 ms timer in {time.perf_counter() - start:.2f} s")

    try:
        await asyncio.wait_for(shop.sleep(10), timeout=0.05)
    except asyncio.TimeoutError:
        print("[asyncio] wait_for(shop.sleep(10), 0.05) timed out; the Vert.x timer was cancelled")

    task = asyncio.create_task(shop.fetch_price("tea"))
    print(f"[asyncio] a task around a Java call: {await task}")


asyncio.run(main())
