"""The pricing service of the cluster suite: a trio verticle answering "pricing.quote"."""
import trio

PRICES = {"tea": 4.5, "coffee": 6.0, "cocoa": 3.25}


async def start(verticle):
    node = verticle.config["node"]

    @verticle.handler("pricing.quote")
    async def quote(msg):
        await trio.sleep(0)
        item, quantity = msg.body["item"], msg.body.get("qty", 1)
        if item not in PRICES:
            from jawait.vertx import ReplyError

            raise ReplyError(404, f"no price for {item!r}")
        return {"item": item, "qty": quantity, "total": PRICES[item] * quantity, "node": node, "library": "trio"}

    print(f"pricing serving on {node}", flush=True)
