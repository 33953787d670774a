"""The event bus under each library's own runner, without anyio: asyncio.run, uvloop, pytest-trio,
and a trio service answering an asyncio client from another thread of the same interpreter."""
import asyncio
import threading

import pytest
import trio

from jawait.vertx import NoHandlerError, ReplyError


def test_asyncio_run(bus, java, address):
    async def main():
        await java.javaEcho(address)
        await java.javaSilent(address + ".silent")
        reply = await bus.request(address, {"n": 1}, timeout=10)
        results = await asyncio.gather(*(bus.request(address, i) for i in range(200)))
        with pytest.raises(asyncio.TimeoutError):  # a cancelled request (wait_for) cancels cleanly
            await asyncio.wait_for(bus.request(address + ".silent", None), 0.05)
        return reply.body, [r.body[1] for r in results]

    body, echoed = asyncio.run(main())
    assert body == ["JsonObject", {"n": 1}, {}]
    assert echoed == list(range(200))


def test_uvloop(bus, address):
    uvloop = pytest.importorskip("uvloop")

    async def main():
        assert type(asyncio.get_running_loop()).__module__.startswith("uvloop")

        async def double(msg):
            return msg.body * 2

        async with bus.consumer(address, double):
            return [(await bus.request(address, i)).body for i in range(5)]

    loop = uvloop.new_event_loop()
    try:
        assert loop.run_until_complete(main()) == [0, 2, 4, 6, 8]
    finally:
        loop.close()


@pytest.mark.trio
async def test_trio_nursery_of_requests(bus, address):
    async def double(msg):
        await trio.sleep(0)
        return msg.body * 2

    results = {}

    async def ask(i):
        results[i] = (await bus.request(address, i)).body

    async with bus.consumer(address, double):
        async with trio.open_nursery() as nursery:
            for i in range(100):
                nursery.start_soon(ask, i)
    assert results == {i: i * 2 for i in range(100)}


@pytest.mark.trio
async def test_trio_cancel_scope_around_a_request(bus, java, address):
    await java.javaSilent(address)
    with trio.move_on_after(0.05) as scope:
        await bus.request(address, "waits")
    assert scope.cancelled_caught


def test_a_trio_service_answers_an_asyncio_client(bus, address):
    ready, stop = threading.Event(), threading.Event()

    async def price(msg):
        await trio.sleep(0.001)
        if msg.body["item"] not in ("tea", "coffee"):
            raise ReplyError(404, f"no price for {msg.body['item']!r}")
        return {"item": msg.body["item"], "price": {"tea": 4.5, "coffee": 6.0}[msg.body["item"]],
                "library": "trio"}

    async def service():
        async with bus.consumer(address, price):
            ready.set()
            while not stop.is_set():
                await trio.sleep(0.01)

    thread = threading.Thread(target=trio.run, args=(service,), name="trio service")
    thread.start()
    try:
        assert ready.wait(30)

        async def client():
            replies = await asyncio.gather(*(bus.request(address, {"item": item}) for item in ["tea", "coffee"] * 10))
            with pytest.raises(ReplyError, match="code 404: no price for 'gold'"):
                await bus.request(address, {"item": "gold"})
            return [r.body for r in replies]

        bodies = asyncio.run(client())
    finally:
        stop.set()
        thread.join(30)
    assert bodies == [{"item": "tea", "price": 4.5, "library": "trio"},
                      {"item": "coffee", "price": 6.0, "library": "trio"}] * 10

    async def after():
        with pytest.raises(NoHandlerError):
            await bus.request(address, {"item": "tea"})

    asyncio.run(after())
