"""An asyncio client of the cluster example, on node 2: it asks the trio pricing service on node 1
over the clustered event bus, several orders at once."""
import asyncio

import cluster_example  # the Java side of node 2: its Vert.x instance

from jawait.vertx import EventBus, ReplyError


async def main():
    bus = EventBus(cluster_example.vertx())
    orders = [("tea", 3), ("coffee", 12), ("cocoa", 2)]
    replies = await asyncio.gather(*(bus.request("pricing.quote", {"item": item, "qty": qty}, timeout=30)
                                     for item, qty in orders))
    for reply in replies:
        quote = reply.body
        print(f"[asyncio] {quote['qty']} x {quote['item']} = {quote['total']} (priced by {quote['served_by']})",
              flush=True)
    try:
        await bus.request("pricing.quote", {"item": "gold", "qty": 1}, timeout=30)
    except ReplyError as error:
        print(f"[asyncio] gold: ReplyError {error.code}: {error.message}", flush=True)


asyncio.run(main())
