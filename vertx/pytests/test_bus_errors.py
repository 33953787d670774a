"""Bad input to the event bus: each is refused before anything is sent, with a message that says
what is wrong, where it sits and what would do."""
import re

import anyio
import pytest

from jawait.vertx import EventBus, EventBusError, ReplyError

pytestmark = pytest.mark.anyio

TRAVELS = ": event bus bodies are JSON values (dict with str keys, list, str, int, float, bool, None) or bytes"


CANNOT_TRAVEL = [
    ({"tags": {"green"}}, "a dict with a value of type set at ['tags']"),
    ({"order": {"lines": [{"qty": 1}, {"at": object()}]}}, "a dict with a value of type object at ['order']['lines'][1]['at']"),
    ({"raw": b"x"}, "a dict with a value of type bytes at ['raw']"),
    ({1: "one"}, "a dict with a key of type int (1)"),
    ([1, {"a": {2.5: "x"}}], "a list with a key of type float (2.5) at [1]['a']"),
    ({"green"}, "a body of type set"),
    (object(), "a body of type object"),
    (2 ** 70, "an int beyond 64 bits"),
]


def why_not(described):
    return TRAVELS if "beyond 64 bits" not in described else (
        ": a body that is a number is a Java long or double; put a bigger int inside a dict or list")


@pytest.mark.parametrize("body, described", CANNOT_TRAVEL)
async def test_a_body_that_cannot_travel_is_a_type_error_naming_it_and_the_address(bus, java, address, body,
                                                                                     described):
    await java.javaEcho(address)
    why = why_not(described)
    with pytest.raises(TypeError) as sent:
        bus.send(address, body)
    assert str(sent.value) == f"cannot send {described} to {address!r}{why}"
    with pytest.raises(TypeError) as published:
        bus.publish(address, body)
    assert str(published.value) == f"cannot publish {described} to {address!r}{why}"
    with pytest.raises(TypeError) as requested:
        await bus.request(address, body)
    assert str(requested.value) == f"cannot send {described} to {address!r}{why}"
    await bus.request(address, "marker")  # after anything sent before it, on the same way
    assert [seen[1] for seen in java.received(address)] == ["marker"]  # nothing else was sent


@pytest.mark.parametrize("headers, problem", [
    (["h"], "not list"),
    ({"n": 1}, "not a dict with a value of type int at ['n']"),
    ({"n": None}, "not a dict with a value of type NoneType at ['n']"),
    ({2: "x"}, "not a dict with a key of type int (2)"),
])
async def test_headers_must_be_a_dict_of_str_to_str(bus, java, address, headers, problem):
    await java.javaEcho(address)
    expected = f"headers for {address!r} must be a dict of str to str, {problem}"
    with pytest.raises(TypeError) as sent:
        bus.send(address, "x", headers=headers)
    assert str(sent.value) == expected
    with pytest.raises(TypeError) as requested:
        await bus.request(address, "x", headers=headers)
    assert str(requested.value) == expected
    await bus.request(address, "marker")  # after anything sent before it, on the same way
    assert [seen[1] for seen in java.received(address)] == ["marker"]  # nothing else was sent


async def test_a_reply_that_cannot_travel_is_refused_and_the_message_can_still_be_answered(bus, address):
    async with bus.consumer(address) as messages:
        async def answer(msg):
            with pytest.raises(TypeError) as caught:
                await msg.reply({"when": object()})
            assert str(caught.value) == (f"cannot reply with a dict with a value of type object at ['when'] to a "
                                         f"message on {address!r}{TRAVELS}")
            with pytest.raises(TypeError, match="headers for .* must be a dict of str to str, not a dict with a "
                                                r"value of type int at \['n'\]"):
                await msg.reply("x", headers={"n": 1})
            assert msg.expects_reply
            await msg.reply("answered after all")

        async with anyio.create_task_group() as group:
            async def serve_one():
                await answer(await messages.__anext__())

            group.start_soon(serve_one)
            reply = await bus.request(address, "q")
    assert reply.body == "answered after all"


async def test_a_handler_returning_what_cannot_travel_fails_the_message(bus, address, caplog):
    async def wrong(msg):
        return {"set": {1}}

    async with bus.consumer(address, wrong):
        with pytest.raises(ReplyError) as caught:
            await bus.request(address, "q")
    assert caught.value.code == 500
    assert caught.value.message == (f"TypeError: cannot reply with a dict with a value of type set at ['set'] to a "
                                    f"message on {address!r}{TRAVELS}")
    assert any("returned a reply that cannot travel" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("body, described", CANNOT_TRAVEL)
async def test_a_handler_result_that_cannot_travel_fails_its_message_naming_it(bus, address, body, described):
    async def handler(msg):
        return body if msg.body == "bad" else msg.body  # the others are answered, in its batch or not

    async with bus.consumer(address, handler):
        async with anyio.create_task_group() as group:
            outcomes = {}

            async def ask(question):
                try:
                    outcomes[question] = (await bus.request(address, question)).body
                except ReplyError as error:
                    outcomes[question] = (error.code, error.message)

            for question in ("before", "bad", "after"):
                group.start_soon(ask, question)
    assert outcomes == {"before": "before", "after": "after",
                        "bad": (500, f"TypeError: cannot reply with {described} to a message on {address!r}"
                                     f"{why_not(described)}")}


async def test_a_reply_that_fails_to_convert_fails_its_message_and_the_others_still_go(bus, address, caplog):
    async def handler(msg):
        return "bad \udc80 text" if msg.body == 1 else msg.body

    async with bus.consumer(address, handler):
        async with anyio.create_task_group() as group:
            outcomes = {}

            async def ask(i):
                try:
                    outcomes[i] = (await bus.request(address, i)).body
                except ReplyError as error:
                    outcomes[i] = (error.code, error.message)

            for i in range(3):
                group.start_soon(ask, i)
    assert outcomes[0] == 0 and outcomes[2] == 2
    assert outcomes[1][0] == 500
    assert outcomes[1][1].startswith("JavaValueError: ")  # jawait's ValueError for what Java refused
    assert "cannot convert a Python str with a lone surrogate to a Java String" in outcomes[1][1]
    assert any("returned a reply that cannot travel: JavaValueError" in r.getMessage() for r in caplog.records)


async def test_a_message_is_answered_once(bus, address):
    async with bus.consumer(address) as messages:
        async def answer():
            msg = await messages.__anext__()
            await msg.reply("first")
            with pytest.raises(RuntimeError) as again:
                await msg.reply("second")
            assert str(again.value) == f"cannot reply to the message from {address!r}: it was already answered"
            with pytest.raises(RuntimeError, match="cannot fail the message from .*: it was already answered"):
                msg.fail(1, "late")

        async with anyio.create_task_group() as group:
            group.start_soon(answer)
            assert (await bus.request(address, "q")).body == "first"


async def test_failures_need_an_int_code_and_a_str_text(bus, address):
    async with bus.consumer(address) as messages:
        bus.send(address, "x")
        msg = await messages.__anext__()
        with pytest.raises(TypeError, match="^a failure code must be an int, not str$"):
            msg.fail("404", "no")
        with pytest.raises(TypeError, match="^a failure text must be a str, not int$"):
            msg.fail(404, 404)


@pytest.mark.parametrize("operation", ["send", "publish", "request", "consumer"])
async def test_an_address_is_a_str(bus, operation):
    with pytest.raises(TypeError, match="^an event bus address must be a str, not int$"):
        result = getattr(bus, operation)(42, *([] if operation == "consumer" else ["body"]))
        if operation == "request":
            await result


@pytest.mark.parametrize("timeout", [0, -1, "5", None])
async def test_a_request_timeout_is_a_positive_number_of_seconds(bus, address, timeout):
    with pytest.raises(ValueError, match=f"^a request timeout is a positive number of seconds, not {timeout!r}$"):
        await bus.request(address, "x", timeout=timeout)


async def test_consumer_options_are_checked(bus, address):
    def not_async(msg):
        return "x"

    with pytest.raises(TypeError, match=r"^a message handler must be an async function \(async def handler\(msg\)\), "
                                        r"not <function .*not_async"):
        bus.consumer(address, not_async)
    with pytest.raises(ValueError, match="^concurrency is a number of handlers at once, at least 1, not 0$"):
        bus.consumer(address, test_consumer_options_are_checked, concurrency=0)
    with pytest.raises(ValueError, match="^max_buffered is a number of messages, at least 0, not -1$"):
        bus.consumer(address, max_buffered=-1)


async def test_a_consumer_is_registered_once_and_a_handler_consumer_is_not_iterated(bus, address):
    async def handler(msg):
        pass

    async with bus.consumer(address, handler) as consumer:
        with pytest.raises(RuntimeError, match=f"^the consumer of {address!r} was registered already$"):
            await consumer.register()
        with pytest.raises(TypeError, match=f"^the consumer of {address!r} has a handler: it is not iterated$"):
            consumer.__aiter__()


async def test_a_closed_vertx_says_so(java, address):
    bus = EventBus(await java.closedVertx())
    closed = "java.lang.IllegalStateException: the Vert.x instance of this event bus is closed"
    with pytest.raises(RuntimeError, match=closed):
        bus.send(address, "x")
    with pytest.raises(RuntimeError, match=closed):
        await bus.request(address, "x")
    with pytest.raises(EventBusError) as caught:
        await bus.consumer(address).register()
    assert str(caught.value).startswith(f"could not register a consumer of {address!r}: ")
    assert closed in str(caught.value)


def test_an_event_bus_needs_a_vertx_instance(java):
    with pytest.raises(TypeError, match=r"^EventBus\(\) needs a Vert.x instance \(a Java io.vertx.core.Vertx that "
                                        r"Java handed to Python\), not 'localhost'$"):
        EventBus("localhost")


def test_the_bus_needs_a_running_loop(bus, address):
    with pytest.raises(RuntimeError, match=re.escape("no async library is running in this thread; await it inside "
                                                     "asyncio.run(), trio.run() or anyio.run()")):
        bus.request(address, "x").send(None)
    consumer = bus.consumer(address)
    with pytest.raises(RuntimeError, match="no async library is running in this thread"):
        consumer.register().send(None)
    assert not consumer.registered
