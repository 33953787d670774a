"""Python consumers' lives: registration and unregistration confirmed by Vert.x, messages never lost
unseen (delivered, or failed back with code 503), handlers side by side up to the concurrency,
backpressure through the stream machinery."""
import anyio
import pytest

from jawait.vertx import NoHandlerError, ReplyError

pytestmark = pytest.mark.anyio


async def requests(bus, address, bodies, outcomes=None, timeout=30):
    """Sends one request per body at once; returns each outcome (the reply body, or the exception),
    also appended to ``outcomes`` as they come."""
    results = [None] * len(bodies)
    outcomes = [] if outcomes is None else outcomes

    async def one(i, body):
        try:
            results[i] = (await bus.request(address, body, timeout=timeout)).body
        except Exception as error:
            results[i] = error
        outcomes.append(results[i])

    async with anyio.create_task_group() as group:
        for i, body in enumerate(bodies):
            group.start_soon(one, i, body)
    return results


def refused(outcome, why):
    return isinstance(outcome, ReplyError) and outcome.code == 503 and why in outcome.message


async def test_leaving_the_context_unregisters_the_consumer(bus, address):
    async def handler(msg):
        return "here"

    async with bus.consumer(address, handler) as consumer:
        assert consumer.registered
        assert (await bus.request(address, "?")).body == "here"
    assert not consumer.registered
    with pytest.raises(NoHandlerError):
        await bus.request(address, "?")


async def test_cancelling_the_task_that_serves_unregisters(bus, address):
    async def handler(msg):
        return "served"

    async with anyio.create_task_group() as group:
        group.start_soon(bus.serve, address, handler)
        with anyio.fail_after(10):
            while True:  # serve() registers in the background; wait until it answers
                try:
                    assert (await bus.request(address, "?")).body == "served"
                    break
                except NoHandlerError:
                    await anyio.sleep(0.01)
        group.cancel_scope.cancel()
    with pytest.raises(NoHandlerError):
        await bus.request(address, "?")


async def test_a_cancel_scope_around_the_consumer_still_waits_for_the_unregistration(bus, address):
    with anyio.move_on_after(0.05):
        async with bus.consumer(address) as consumer:
            await anyio.sleep_forever()
    assert not consumer.registered
    with pytest.raises(NoHandlerError):
        await bus.request(address, "?")


async def test_messages_beyond_max_buffered_and_those_waiting_at_the_end_are_failed_back(bus, address):
    async with anyio.create_task_group() as group:
        outcomes = []

        async def send_all():
            await requests(bus, address, list(range(5)), outcomes)

        async with bus.consumer(address, max_buffered=3):  # never read
            group.start_soon(send_all)
            with anyio.fail_after(10):
                while len(outcomes) < 2:
                    await anyio.sleep(0.01)
    full = [o for o in outcomes if refused(o, "has 3 messages waiting and refused this one")]
    gone = [o for o in outcomes if refused(o, "was unregistered before it handled this message")]
    assert (len(full), len(gone)) == (2, 3), outcomes
    assert str(full[0]) == (f"{address!r} failed the request with code 503: the Python consumer of {address!r} has 3 "
                            "messages waiting and refused this one; let it handle more at once (concurrency) or wait "
                            "for more (max_buffered)")


async def test_messages_handed_to_python_but_not_read_are_failed_back(bus, address):
    async with anyio.create_task_group() as group:
        outcomes = []

        async def send_all():
            await requests(bus, address, list(range(10)), outcomes)

        async with bus.consumer(address) as messages:
            group.start_soon(send_all)  # each request is sent before the first one arrives
            first = await messages.__anext__()  # from now on Python takes in what arrives
            await first.reply("read")
    assert outcomes.count("read") == 1
    assert all(refused(o, "was unregistered before it handled this message") for o in outcomes if o != "read")


async def test_unregistering_cancels_running_handlers_and_fails_their_messages_back(bus, address):
    started, cancelled = [], []

    async def stuck(msg):
        started.append(msg.body)
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.append(msg.body)

    async with anyio.create_task_group() as group:
        outcomes = []

        async def send_all():
            await requests(bus, address, list(range(4)), outcomes)

        async with bus.consumer(address, stuck, concurrency=4):
            group.start_soon(send_all)
            with anyio.fail_after(10):
                while len(started) < 4:
                    await anyio.sleep(0.01)
    assert sorted(cancelled) == [0, 1, 2, 3]
    assert all(refused(o, "was cancelled: the consumer was unregistered") for o in outcomes), outcomes


async def test_handlers_that_suspend_run_side_by_side(bus, address):
    running, most = 0, 0
    everyone_in = anyio.Event()

    async def gathering(msg):
        nonlocal running, most
        running += 1
        most = max(most, running)
        if running == 10:
            everyone_in.set()
        await everyone_in.wait()  # only returns once 10 handlers run at the same time
        running -= 1
        return msg.body

    async with bus.consumer(address, gathering, concurrency=10):
        assert await requests(bus, address, list(range(10))) == list(range(10))
    assert most == 10


async def test_at_most_concurrency_handlers_run_at_once(bus, address):
    running, most = 0, 0

    async def slow(msg):
        nonlocal running, most
        running += 1
        most = max(most, running)
        await anyio.sleep(0.01)
        running -= 1
        return msg.body * 2

    async with bus.consumer(address, slow, concurrency=3):
        assert await requests(bus, address, list(range(30))) == [i * 2 for i in range(30)]
    assert most == 3


async def test_many_requests_in_flight_each_get_their_reply(bus, address):
    async def double(msg):
        return msg.body * 2

    async with bus.consumer(address, double):
        assert await requests(bus, address, list(range(1000))) == [i * 2 for i in range(1000)]


async def test_a_slow_reader_holds_the_rest_back_and_reads_them_all_later(bus, java, address):
    async with bus.consumer(address, max_buffered=1000) as messages:
        for i in range(600):  # more than Python takes in at once: the rest waits in Java
            bus.send(address, i)
        seen = []
        with anyio.fail_after(30):
            async for msg in messages:
                seen.append(msg.body)
                if len(seen) == 600:
                    break
    assert seen == list(range(600))
