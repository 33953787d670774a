"""The client of the cluster suite: an asyncio verticle that asks "pricing.quote" (and a Java
consumer) when told to over the bus, and keeps up steady traffic on request, tallying outcomes."""
import asyncio

from jawait.vertx import EventBusError

traffic = None


def outcome_of(error):
    return {"error": type(error).__name__, "message": str(error)}


async def start(verticle):
    bus = verticle.bus

    @verticle.handler("client.quotes")
    async def quotes(msg):
        async def one(item):
            try:
                return {"ok": (await bus.request("pricing.quote", {"item": item, "qty": 2}, timeout=10)).body}
            except EventBusError as error:
                return outcome_of(error)

        return await asyncio.gather(*(one(item) for item in msg.body["items"]))

    @verticle.handler("client.java")
    async def ask_java(msg):
        return (await bus.request(msg.body["address"], {"from": "python"}, timeout=10)).body

    @verticle.handler("client.traffic.start")
    async def start_traffic(msg):
        global traffic
        traffic = Traffic(bus, msg.body["timeout"])
        verticle.start_soon(traffic.run)

    @verticle.handler("client.traffic.tally")
    async def tally(msg):
        return traffic.tally()

    @verticle.handler("client.traffic.stop")
    async def stop_traffic(msg):
        traffic.running = False
        while traffic.pending:  # each pending request ends by its timeout at the latest
            await asyncio.sleep(0.05)
        return traffic.tally()

    print("client ready", flush=True)


class Traffic:
    """A request every 20 ms, each with its own timeout; outcomes in order."""

    def __init__(self, bus, timeout):
        self.bus = bus
        self.timeout = timeout
        self.running = True
        self.pending = 0
        self.outcomes = []

    async def run(self):
        while self.running:
            asyncio.get_running_loop().create_task(self.one())
            await asyncio.sleep(0.02)

    async def one(self):
        self.pending += 1
        try:
            reply = await self.bus.request("pricing.quote", {"item": "tea"}, timeout=self.timeout)
            self.outcomes.append({"ok": reply.body["node"]})
        except EventBusError as error:
            self.outcomes.append(outcome_of(error))
        finally:
            self.pending -= 1

    def tally(self):
        return {"sent": len(self.outcomes) + self.pending, "pending": self.pending, "outcomes": self.outcomes}
