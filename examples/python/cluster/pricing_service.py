"""The pricing service of the cluster example: a Python verticle on trio. Node 1 runs it with

    JAWAIT_JAVA_OPTS=-Dvertx.hazelcast.config=examples/cluster/cluster.xml \\
        bin/jawait run pricing_service --loop trio --cluster --cluster-host 127.0.0.1

and every node of the cluster can ask it on "pricing.quote".
"""
import trio

from jawait.vertx import ReplyError

PRICES = {"tea": 4.5, "coffee": 6.0, "cocoa": 3.25}
served = 0


async def start(verticle):
    @verticle.handler("pricing.quote")
    async def quote(msg):
        global served
        if "item" not in msg.body:  # a readiness probe (node 2 asks until one is answered): not a quote
            return {"ready": True}
        item, quantity = msg.body["item"], msg.body.get("qty", 1)
        await trio.sleep(0.005)  # stands for a price lookup
        if item not in PRICES:
            raise ReplyError(404, f"no price for {item!r}")  # the caller gets this code and text
        served += 1
        discount = 0.1 if quantity >= 10 else 0.0
        return {"item": item, "qty": quantity, "unit_price": PRICES[item],
                "total": round(PRICES[item] * quantity * (1 - discount), 2), "served_by": "python (trio)"}

    print("pricing service on trio, serving pricing.quote across the cluster", flush=True)


async def stop(verticle):
    print(f"pricing service stopping after {served} quotes", flush=True)
