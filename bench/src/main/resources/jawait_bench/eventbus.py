"""The Python halves of the event-bus benchmarks: a consumer that answers quotes, a client that
keeps a window of requests in flight, the same exchange in Python alone (the consumer's floor), and
the client's awaits alone (its floor). The Java halves, and their same-run Java baselines, are in
EventBusBenchmarks.java.
"""
import asyncio
import time

from jawait.vertx import EventBus, Message


async def quote(msg):
    """The quote every consumer of the benchmarks computes, Python's and Java's alike."""
    order = msg.body
    return {"item": order["item"], "total": order["qty"] * 4.5}


async def serve(vertx, address):
    """Registers a Python consumer of ``address`` on the running loop; returns it (unregister it to stop)."""
    consumer = EventBus(vertx).consumer(address, quote, max_buffered=100_000)
    await consumer.register()
    return consumer


async def client(vertx, address, total, window):
    """``total`` requests to ``address``, ``window`` in flight at once; requests per second."""
    bus = EventBus(vertx)
    order = {"item": "tea", "qty": 3}

    async def worker(count):
        for _ in range(count):
            reply = await bus.request(address, order)
            assert reply.body["total"] == 13.5

    start = time.perf_counter()
    await asyncio.gather(*(worker(total // window + (i < total % window)) for i in range(window)))
    return total / (time.perf_counter() - start)


async def inloop(total, window):
    """The floor: the same exchange with no bridge. ``window`` requesters put messages (each with a
    new body, as decoding makes) on a queue that one reader serves with ``quote``, as a consumer
    does, answering through futures; requests per second."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def reader():
        while True:
            msg, answer = await queue.get()
            if msg is None:
                return
            answer.set_result(await quote(msg))

    async def worker(count):
        for _ in range(count):
            answer = loop.create_future()
            queue.put_nowait((Message("bench.quote.inloop", {"item": "tea", "qty": 3}, None, None), answer))
            reply = await answer
            assert reply["total"] == 13.5

    serving = asyncio.ensure_future(reader())
    start = time.perf_counter()
    await asyncio.gather(*(worker(total // window + (i < total % window)) for i in range(window)))
    elapsed = time.perf_counter() - start
    queue.put_nowait((None, None))
    await serving
    return total / elapsed


async def futures_only(total, window):
    """The client's floor: the same ``window`` workers, each request one asyncio future that the loop
    itself resolves, a batch a turn, with nothing sent and no message made; requests per second."""
    loop = asyncio.get_running_loop()
    waiting = []

    def answer():
        batch = waiting[:]
        waiting.clear()
        for future in batch:
            future.set_result(13.5)

    async def request():
        future = loop.create_future()
        if not waiting:
            loop.call_soon(answer)
        waiting.append(future)
        return await future

    async def worker(count):
        for _ in range(count):
            assert await request() == 13.5

    start = time.perf_counter()
    await asyncio.gather(*(worker(total // window + (i < total % window)) for i in range(window)))
    return total / (time.perf_counter() - start)

