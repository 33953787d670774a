"""Java publishers and Vert.x ReadStreams as Python async generators."""
import asyncio
import collections.abc
import contextlib
import gc
import sys
import uuid

import pytest
from support import TRIO_SKIP_REASON

trio = pytest.importorskip("trio", reason=TRIO_SKIP_REASON, exc_type=ImportError)

import jawait_stream_testmod as sm  # noqa: E402
from support import release_java_references  # noqa: E402

import jawait  # noqa: E402


def tag():
    return uuid.uuid4().hex


async def consume(agen):
    return [item async for item in agen]


def test_calls_return_genuine_async_generators_that_do_nothing_until_iterated():
    t = tag()
    stream = sm.count(t, 3)
    assert isinstance(stream, collections.abc.AsyncGenerator)
    for method in ("__aiter__", "__anext__", "asend", "athrow", "aclose"):
        assert hasattr(stream, method)
    assert sm.stats(t)["requested"] == 0  # the Java method has not even run
    assert asyncio.run(consume(stream)) == [0, 1, 2]


def test_async_for_under_asyncio_and_trio():
    assert asyncio.run(consume(sm.count(tag(), 1000))) == list(range(1000))
    assert trio.run(consume, sm.count(tag(), 1000)) == list(range(1000))
    assert trio.run(consume, sm.countTrio(tag(), 5)) == list(range(5))


@pytest.mark.anyio
async def test_anyio_on_both_backends(anyio_backend):
    assert await consume(sm.count(tag(), 300)) == list(range(300))


def test_a_trio_stream_under_asyncio_names_backend_and_library():
    with pytest.raises(RuntimeError, match=r"countTrio\(\) uses jawait's trio backend, but asyncio is running"):
        asyncio.run(consume(sm.countTrio(tag(), 5)))


def test_demand_follows_consumption_and_never_passes_the_prefetch():
    async def main():
        t = tag()
        stream = sm.countSmallPrefetch(t, 10_000)
        first = await stream.__anext__()
        assert first == 0
        assert sm.stats(t)["requested"] == 16  # the prefetch, asked for at the first __anext__
        seen = [first] + [await stream.__anext__() for _ in range(40)]
        assert seen == list(range(41))
        stats = sm.stats(t)
        assert stats["requested"] - 41 <= 16  # what was asked for but not yet taken
        await stream.aclose()
        assert sm.stats(t)["cancelled"]

    asyncio.run(main())


def test_a_slow_consumer_pauses_a_fast_producer():
    # The producer could emit 10 million items; the consumer sleeps, and the buffer never holds
    # more than the prefetch (64).
    async def main():
        t = tag()
        taken = 0
        async for item in sm.fastProducer(t, 10_000_000):
            assert item == taken
            taken += 1
            if taken % 50 == 0:
                await asyncio.sleep(0.005)
            if taken == 2000:
                break
        await asyncio.sleep(0.01)  # asyncio's finalizer hook closes the abandoned generator
        stats = sm.stats(t)
        assert stats["max_buffered"] <= 64  # in Java's buffer
        assert stats["emitted"] <= taken + 64  # in Java's buffer and Python's hands together
        assert stats["cancelled"]

    asyncio.run(main())


def test_items_arriving_together_are_handed_over_with_one_wake():
    async def main():
        t = tag()
        stream = sm.manual(t)
        started = asyncio.ensure_future(stream.__anext__())  # parks: nothing to take yet
        await asyncio.sleep(0.01)
        before = sm.wakes()
        sm.emitHoldingGil(t, 500)  # all 500 arrive while this thread holds the GIL
        items = [await started] + [item async for item in stream]
        assert items == list(range(500))
        assert sm.wakes() - before == 1

    asyncio.run(main())


@pytest.mark.parametrize("how", ["break", "aclose", "aclosing", "garbage"])
def test_leaving_early_cancels_the_subscription(how):
    async def main():
        t = tag()
        stream = sm.count(t, 10**9)
        if how == "break":
            async for item in stream:
                if item == 5:
                    break
            await stream.aclose()  # what asyncio's async-generator hooks do for a broken-out loop
        elif how == "aclose":
            await stream.__anext__()
            await stream.aclose()
        elif how == "aclosing":
            async with contextlib.aclosing(stream) as items:
                async for item in items:
                    if item == 3:
                        break
        else:
            await stream.__anext__()
            del stream
            gc.collect()
            await asyncio.sleep(0.05)  # the loop's finalizer hook runs aclose()
        return t

    if sys.version_info < (3, 10) and how == "aclosing":
        pytest.skip("contextlib.aclosing is new in Python 3.10")
    t = asyncio.run(main())
    assert sm.stats(t)["cancelled"]


def test_cancelling_the_consuming_task_cancels_the_subscription():
    async def main():
        t = tag()

        async def consumer():
            async for _ in sm.manual(t):
                pass

        task = asyncio.create_task(consumer())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return t

    assert sm.stats(asyncio.run(main()))["cancelled"]


@pytest.mark.trio
async def test_a_trio_cancel_scope_cancels_the_subscription():
    t = tag()
    with trio.move_on_after(0.05):
        async for _ in sm.manual(t):
            pass
    assert sm.stats(t)["cancelled"]


def test_a_java_error_raises_after_the_items_before_it():
    async def main():
        seen = []
        with pytest.raises(RuntimeError) as caught:
            async for item in sm.failing(3, "broken stream"):
                seen.append(item)
        return seen, caught.value

    seen, error = asyncio.run(main())
    assert seen == [0, 1, 2]
    assert isinstance(error, jawait.JavaError)
    assert str(error) == "java.lang.IllegalStateException: broken stream"
    assert "at dev.jawait.pytests.StreamTestModule" in error.java_stack_trace


def test_asend_and_athrow_behave_like_any_async_generator():
    async def main():
        stream = sm.count(tag(), 10)
        assert await stream.asend(None) == 0
        with pytest.raises(KeyError):
            await stream.athrow(KeyError("into the generator"))
        with pytest.raises(StopAsyncIteration):
            await stream.__anext__()  # an exception thrown in ends it

    asyncio.run(main())


def test_a_vertx_read_stream_is_an_async_generator():
    text = "".join(f"line {i}\n" for i in range(2000))
    lines = asyncio.run(consume(sm.vertxLines(text)))
    assert [line.decode() for line in lines] == [f"line {i}" for i in range(2000)]
    assert all(type(line) is bytes for line in lines)  # a Vert.x Buffer arrives as bytes


@pytest.mark.trio
async def test_trio_reads_a_vertx_read_stream_with_async_for():
    lines = [line async for line in sm.vertxLines("a\nb\nc\n")]
    assert lines == [b"a", b"b", b"c"]


def test_a_future_of_a_stream_is_streamed_once_it_completes():
    assert asyncio.run(consume(sm.countLater(tag(), 300, 50))) == list(range(300))
    assert trio.run(consume, sm.countLater(tag(), 5, 0)) == list(range(5))


def test_leaving_before_the_future_of_a_stream_completes_cancels_it():
    async def main():
        t = tag()
        stream = sm.countLater(t, 5, 60_000)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(stream.__anext__(), 0.05)
        await stream.aclose()
        return t

    stats = sm.stats(asyncio.run(main()))
    assert stats["future_cancelled"]
    assert stats["requested"] == 0  # the publisher never came to exist


def test_a_failed_future_of_a_stream_raises_its_failure():
    async def main():
        with pytest.raises(RuntimeError) as caught:
            await consume(sm.failedStream("no stream today"))
        return caught.value

    error = asyncio.run(main())
    assert isinstance(error, jawait.JavaError)
    assert str(error) == "java.lang.IllegalStateException: no stream today"


def test_a_future_of_null_instead_of_a_stream_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"nullStream\(\) returned null instead of a Flow.Publisher or Vert.x "
                                           r"ReadStream \(or a future of one\)"):
        asyncio.run(consume(sm.nullStream()))


@pytest.mark.parametrize("size", [0, 10, 3_000_000])
def test_a_vertx_http_response_body_streams_with_nothing_lost(size):
    async def main():
        chunks = []
        async for chunk in sm.httpBody(size):
            chunks.append(chunk)
            if len(chunks) == 1:
                await asyncio.sleep(0.1)  # the rest of the body waits, paused, for the consumer
        return b"".join(chunks)

    assert asyncio.run(main()) == bytes(i % 251 for i in range(size))


def test_a_read_stream_that_refuses_handlers_raises_instead_of_hanging():
    with pytest.raises(RuntimeError, match="java.lang.IllegalStateException: Response already ended"):
        asyncio.run(consume(sm.httpBodyAlreadyRead()))


@pytest.mark.trio
async def test_trio_reads_a_vertx_http_response_body():
    body = b"".join([chunk async for chunk in sm.httpBody(100_000)])
    assert body == bytes(i % 251 for i in range(100_000))


def test_streaming_a_million_items_leaves_no_references_behind():
    probe = object()

    async def main():
        count = 0
        async for item in sm.repeat(probe, 1_000_000):
            assert item is probe
            count += 1
        return count

    before = sys.getrefcount(probe)
    assert asyncio.run(main()) == 1_000_000
    release_java_references(lambda: sys.getrefcount(probe) == before)
    assert sys.getrefcount(probe) == before
