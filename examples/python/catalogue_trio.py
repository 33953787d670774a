"""A trio program reading a Vert.x ReadStream with ``async for``; run by ShopApp."""
import shop  # the Java module
import trio


async def main():
    stock = {}
    async for line in shop.catalogue():  # bytes, one line each; read only as fast as we ask
        item, count = line.decode().split(",")
        if item != "item":  # the header
            stock[item] = int(count)
    print(f"[trio]   catalogue read with async for: {stock}")

    async for line in shop.catalogue():
        print(f"[trio]   stopping early after the first line ({line.decode()!r}); Java resets the request")
        break


trio.run(main)
