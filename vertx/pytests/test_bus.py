"""The event bus from Python, on asyncio, uvloop and trio (through anyio's test runner): requests,
sends and publications between Python and Java peers, and what each side sees of the other's bodies."""
import anyio
import pytest

from jawait.vertx import Message, NoHandlerError, ReplyError, ReplyTimeoutError

pytestmark = pytest.mark.anyio


async def test_a_python_handler_answers_a_python_request(bus, address):
    async def quote(msg):
        assert msg.address == address and msg.expects_reply
        return {"item": msg.body["item"], "price": 4.5, "seen": msg.headers}

    async with bus.consumer(address, quote):
        reply = await bus.request(address, {"item": "tea"}, headers={"trace": "t-1"}, timeout=10)
    assert isinstance(reply, Message)
    assert reply.body == {"item": "tea", "price": 4.5, "seen": {"trace": "t-1"}}
    assert reply.headers == {}


async def test_what_a_handler_returns_is_the_reply_unless_it_answered_itself(bus, address):
    async def handler(msg):
        if msg.body == "reply":
            await msg.reply("replied")
            return "ignored"
        if msg.body == "fail":
            msg.fail(418, "teapot")
            return "ignored"

    async with bus.consumer(address, handler):
        assert (await bus.request(address, "reply")).body == "replied"
        assert (await bus.request(address, "nothing")).body is None
        with pytest.raises(ReplyError, match="code 418: teapot"):
            await bus.request(address, "fail")


async def test_replies_carry_headers(bus, address):
    async with bus.consumer(address) as messages:
        async def answer():
            async for msg in messages:
                await msg.reply(msg.body.upper(), headers={"served-by": "python"})
                return

        async with anyio.create_task_group() as group:
            group.start_soon(answer)
            reply = await bus.request(address, "tea")
    assert (reply.body, reply.headers) == ("TEA", {"served-by": "python"})


@pytest.mark.parametrize("body, java_type, seen_by_java", [
    ({"item": "tea", "qty": 3, "tags": ["green"], "extra": {"k": None}}, "JsonObject",
     {"item": "tea", "qty": 3, "tags": ["green"], "extra": {"k": None}}),
    (["tea", 1, 2.5, True, None], "JsonArray", ["tea", 1, 2.5, True, None]),
    ("tea", "String", "tea"),
    (42, "Long", 42),
    (2.5, "Double", 2.5),
    (True, "Boolean", True),
    (None, "null", None),
    (b"\x00\x01\xff", "Buffer", b"\x00\x01\xff"),
    (("a", 1), "JsonArray", ["a", 1]),
])
async def test_java_consumers_read_python_bodies_natively(bus, java, address, body, java_type, seen_by_java):
    await java.javaEcho(address)
    reply = await bus.request(address, body, headers={"h": "v"})
    assert reply.body == [java_type, seen_by_java, {"h": "v"}]
    assert reply.headers == {"replied-by": "java"}


@pytest.mark.parametrize("kind, expected, java_type", [
    ("json", {"item": "tea", "qty": 3, "tags": ["green"]}, "JsonObject"),
    ("array", [1, "two", {"three": 3.0}], "JsonArray"),
    ("string", "hello", "String"),
    ("buffer", b"\x00\x01\xff", "Buffer"),
    ("long", 42, "Long"),
    ("int", 7, "Long"),
    ("double", 2.5, "Double"),
    ("boolean", True, "Boolean"),
    ("null", None, "null"),
])
async def test_python_consumers_read_java_bodies_and_java_reads_their_replies(bus, java, address, kind, expected,
                                                                              java_type):
    async def echo(msg):
        assert msg.headers == {"sent-by": "java"}
        await msg.reply(msg.body, headers={"python-type": type(msg.body).__name__})

    async with bus.consumer(address, echo):
        reply = await java.javaRequest(address, kind, 10_000)
    assert reply == [java_type, expected, {"python-type": type(expected).__name__}]


def typed(value):
    """``value`` with each item's type beside it: 1 and 1.0, or 0.0 and -0.0, compare unequal."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return type(value).__name__, repr(value)


def nested(depth, value):
    for _ in range(depth):
        value = {"d": value}
    return value


JAVA_BODIES = [
    ("numbers", {"int_min": -2 ** 31, "int_max": 2 ** 31 - 1, "past_int": 2 ** 31, "below_int": -2 ** 31 - 1,
                 "long_min": -2 ** 63, "long_max": 2 ** 63 - 1, "short": -7, "float": 1.5, "negative_zero": -0.0,
                 "huge": 1e300}),
    ("unicode", {"é": "日本", "emoji": "\U0001F600 x", "list": ["ä", "b"]}),
    ("strings", {"": "", "ascii_255": "a" * 255, "ascii_256": "b" * 256, "controls": "\x00\x7f", "latin_1": "\xff",
                 "ascii_then_not": "a" * 200 + "\xe9", "not_ascii_300": "\u65e5" * 300}),
    ("deep", nested(80, 1)),
    ("java-collections", {"map": {"k": 1}, "list": [1, 2]}),
    ("bytes-inside", {"raw": b"\x01\x02"}),
]


@pytest.mark.parametrize("kind, expected", JAVA_BODIES)
async def test_python_consumers_read_every_java_value_as_its_python_twin(bus, java, address, kind, expected):
    seen = []

    async def echo(msg):
        seen.append(msg.body)
        return None if kind == "bytes-inside" else msg.body  # bytes travel only as a whole body

    async with bus.consumer(address, echo):
        reply = await java.javaRequest(address, kind, 10_000)
    assert [typed(body) for body in seen] == [typed(expected)]
    if kind != "bytes-inside":
        assert reply[0] == "JsonObject"
        assert typed(reply[1]) == typed(expected)  # and back, as Java held it


async def test_handler_results_reach_java_with_every_json_value(bus, java, address):
    results = iter([
        {"huge": 2 ** 70, "negative_huge": -2 ** 70, "long_min": -2 ** 63, "past_long": 2 ** 63,
         "tuple": (1, "é"), "negative_zero": -0.0, "emoji": "\U0001F600", "empty": {}, "none": None},
        nested(80, [True]),
        ("a", ("b",)),
        -2 ** 63,
        "\u00e9t\u00e9",
    ])

    async def handler(msg):
        return next(results)

    async with bus.consumer(address, handler):
        seen = [await java.javaRequest(address, "string", 10_000) for _ in range(5)]
    assert [(java_type, typed(body)) for java_type, body, _headers in seen] == [
        ("JsonObject", typed({"huge": 2 ** 70, "negative_huge": -2 ** 70, "long_min": -2 ** 63, "past_long": 2 ** 63,
                              "tuple": [1, "é"], "negative_zero": -0.0, "emoji": "\U0001F600", "empty": {},
                              "none": None})),
        ("JsonObject", typed(nested(80, [True]))),
        ("JsonArray", typed(["a", ["b"]])),
        ("Long", typed(-2 ** 63)),
        ("String", typed("été")),
    ]


async def test_python_replies_reach_java_as_json_and_buffers(bus, java, address):
    replies = iter([{"a": [1, {"b": 2}]}, [1, "x"], b"raw", "text", 3, 1.5, False])

    async def reply(msg):
        await msg.reply(next(replies), headers={"n": "1"})

    async with bus.consumer(address, reply):
        seen = [await java.javaRequest(address, "string", 10_000) for _ in range(7)]
    assert seen == [["JsonObject", {"a": [1, {"b": 2}]}, {"n": "1"}], ["JsonArray", [1, "x"], {"n": "1"}],
                    ["Buffer", b"raw", {"n": "1"}], ["String", "text", {"n": "1"}], ["Long", 3, {"n": "1"}],
                    ["Double", 1.5, {"n": "1"}], ["Boolean", False, {"n": "1"}]]


async def test_send_reaches_one_consumer_and_publish_every_one(bus, java, address):
    async with bus.consumer(address) as first, bus.consumer(address) as second:
        bus.publish(address, {"news": 1})
        assert (await first.__anext__()).body == {"news": 1}
        assert (await second.__anext__()).body == {"news": 1}
        bus.send(address, "one", headers={"k": "v"})
        with anyio.fail_after(10):
            async with anyio.create_task_group() as group:
                got = []

                async def take(consumer):
                    msg = await consumer.__anext__()
                    got.append((msg.body, msg.headers, msg.expects_reply))
                    group.cancel_scope.cancel()

                group.start_soon(take, first)
                group.start_soon(take, second)
        assert got == [("one", {"k": "v"}, False)]


async def test_java_sends_and_publishes_to_python(bus, java, address):
    async with bus.consumer(address) as messages:
        java.javaSend(address, "json", False)
        java.javaSend(address, "array", True)
        first = await messages.__anext__()
        second = await messages.__anext__()
    assert (first.body, first.expects_reply) == ({"item": "tea", "qty": 3, "tags": ["green"]}, False)
    assert second.body == [1, "two", {"three": 3.0}]


async def test_answers_to_fire_and_forget_messages_are_ignored(bus, address):
    async with bus.consumer(address) as messages:
        bus.send(address, "no reply wanted")
        msg = await messages.__anext__()
        await msg.reply("ignored")
        msg.fail(1, "ignored too")
        assert not msg.expects_reply


async def test_a_reply_timeout_names_the_address_and_the_timeout(bus, java, address):
    await java.javaSilent(address)
    with pytest.raises(ReplyTimeoutError) as caught:
        await bus.request(address, "anyone?", timeout=0.2)
    assert isinstance(caught.value, TimeoutError)
    assert str(caught.value) == f"no reply from {address!r} within 0.2 s"
    assert (caught.value.address, caught.value.timeout) == (address, 0.2)


async def test_no_handler_is_a_lookup_error_naming_the_address(bus, address):
    with pytest.raises(NoHandlerError) as caught:
        await bus.request(address, "anyone?")
    assert isinstance(caught.value, LookupError)
    assert str(caught.value) == f"no handler for {address!r} on the event bus"


async def test_a_java_recipient_failure_carries_its_code_and_message(bus, java, address):
    await java.javaFailing(address, 404, "no such item")
    with pytest.raises(ReplyError) as caught:
        await bus.request(address, {"item": "gold"})
    assert (caught.value.code, caught.value.message, caught.value.address) == (404, "no such item", address)
    assert str(caught.value) == f"{address!r} failed the request with code 404: no such item"


async def test_python_failures_reach_python_and_java_clients(bus, java, address):
    async def picky(msg):
        if msg.body == "fail":
            msg.fail(409, "conflict")
        elif msg.body == "raise":
            raise ReplyError(404, "no such item")
        return "fine"

    async with bus.consumer(address, picky):
        assert (await bus.request(address, "ok")).body == "fine"
        with pytest.raises(ReplyError, match="code 409: conflict"):
            await bus.request(address, "fail")
        with pytest.raises(ReplyError) as caught:
            await bus.request(address, "raise")
        assert (caught.value.code, caught.value.message) == (404, "no such item")
        assert await java.javaRequest(address, "string", 10_000) == ["String", "fine", {}]


async def test_a_handler_that_raises_fails_the_message_and_logs_the_traceback_once(bus, java, address, caplog):
    async def broken(msg):
        raise ValueError(f"bad item {msg.body!r}")

    async with bus.consumer(address, broken):
        with pytest.raises(ReplyError) as caught:
            await bus.request(address, "gold")
        seen_by_java = await java.javaRequest(address, "string", 10_000)
    assert (caught.value.code, caught.value.message) == (500, "ValueError: bad item 'gold'")
    assert seen_by_java == ["failure", "RECIPIENT_FAILURE", 500, "ValueError: bad item 'hello'"]
    logged = [r for r in caplog.records if r.name == "jawait.vertx"]
    assert len(logged) == 2
    assert logged[0].getMessage().startswith(f"the handler of {address!r} failed on <Message to {address!r}: 'gold'>")
    assert logged[0].exc_info[0] is ValueError


async def test_a_handler_holds_a_conversation_with_reply_and_request(bus, address):
    async def order(msg):
        confirmation = await msg.reply_and_request({"total": 13.5, "confirm?": True}, timeout=10)
        assert confirmation.body == "yes" and confirmation.expects_reply
        await confirmation.reply({"order": 7})

    async with bus.consumer(address, order):
        offer = await bus.request(address, {"item": "tea"}, timeout=10)
        assert offer.body == {"total": 13.5, "confirm?": True} and offer.expects_reply
        receipt = await offer.reply_and_request("yes", timeout=10)
    assert receipt.body == {"order": 7} and not receipt.expects_reply
    assert not offer.expects_reply  # answered


async def test_reply_and_request_refuses_a_message_that_expects_no_reply(bus, address):
    async with bus.consumer(address) as messages:
        bus.send(address, "no reply wanted")
        async for msg in messages:
            with pytest.raises(RuntimeError, match="expects no reply"):
                await msg.reply_and_request("hello?")
            break
