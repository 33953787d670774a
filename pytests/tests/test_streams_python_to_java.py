"""Python async iterables as Java Flow publishers and Vert.x ReadStreams."""
import asyncio
import sys
import threading
import time

import pytest
from support import TRIO_SKIP_REASON

trio = pytest.importorskip("trio", reason=TRIO_SKIP_REASON, exc_type=ImportError)

import jawait_stream_testmod as sm  # noqa: E402
from support import release_java_references  # noqa: E402


class Tracked:
    """An async iterator that records how often __anext__ ran and whether it was closed."""

    def __init__(self, n, suspend=False):
        self.n, self.suspend = n, suspend
        self.calls = 0
        self.closed = False

    def __aiter__(self):
        return self.generate()

    async def generate(self):
        try:
            for i in range(self.n):
                self.calls += 1
                if self.suspend:
                    await asyncio.sleep(0)
                yield i
        finally:
            self.closed = True


def test_items_come_in_order_under_asyncio_whether_or_not_the_generator_suspends():
    async def main():
        assert await sm.collect(Tracked(10), 3) == list(range(10))
        assert await sm.collect(Tracked(10, suspend=True), 4) == list(range(10))
        assert await sm.collect(Tracked(0), 1) == []

    asyncio.run(main())


@pytest.mark.trio
async def test_items_come_in_order_under_trio():
    async def numbers():
        for i in range(20):
            if i % 5 == 0:
                await trio.sleep(0.001)
            yield i

    assert await sm.collect(numbers(), 7) == list(range(20))


@pytest.mark.anyio
async def test_anyio_on_both_backends(anyio_backend):
    async def numbers():
        for i in range(50):
            yield {"n": i}

    assert await sm.collect(numbers(), 8) == [{"n": i} for i in range(50)]


def test_anext_is_driven_only_by_demand():
    async def main():
        source = Tracked(1000)
        assert await sm.requestOnly(source, 5) == [0, 1, 2, 3, 4]
        await asyncio.sleep(0.05)
        return source

    source = asyncio.run(main())
    assert source.calls == 5  # nothing ran ahead of the subscriber's demand


def test_cancel_closes_the_async_generator():
    async def main():
        source = Tracked(10**9, suspend=True)
        assert await sm.takeThenCancel(source, 7) == list(range(7))
        deadline = time.monotonic() + 60  # Java's cancel reaches the generator through the loop
        while not source.closed and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return source

    source = asyncio.run(main())
    assert source.closed
    assert source.calls < 100


def test_cancel_while_the_next_item_is_in_flight_still_closes_the_generator():
    closed = []

    async def numbers():
        try:
            yield 0  # ready at once: handed over when the next item suspends
            await asyncio.sleep(0.05)  # in flight when Java cancels
            yield 1
        finally:
            closed.append(True)

    async def main():
        assert await sm.cancelAfterFirst(numbers(), 5) == [0]
        deadline = time.monotonic() + 60
        while not closed and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

    asyncio.run(main())
    assert closed == [True]


def test_a_python_exception_reaches_on_error_as_python_exception():
    async def failing():
        yield 1
        yield 2
        raise LookupError("from the generator")

    async def main():
        with pytest.raises(LookupError) as caught:  # onError(PythonException), raised back as the same error
            await sm.collect(failing(), 10)
        return caught.value

    error = asyncio.run(main())
    assert str(error) == "from the generator"


def test_a_python_async_generator_as_a_vertx_read_stream():
    async def main():
        async def words():
            for word in ("alpha", "beta", "gamma", "delta", "epsilon"):
                await asyncio.sleep(0)
                yield word

        return await sm.collectReadStream(words())

    result = asyncio.run(main())
    assert result["items"] == ["alpha", "beta", "gamma", "delta", "epsilon"]
    assert result["vertx_thread"] is True  # handlers ran on the Vert.x context


def test_a_java_thread_subscribes_to_a_generator_on_the_running_loop():
    async def main():
        async def letters():
            for letter in "jawait":
                yield letter

        return await sm.collectFromJavaThread(letters(), [])

    assert asyncio.run(main()) == list("jawait")


def test_a_java_thread_streams_a_generator_function_called_on_the_loop():
    async def main():
        callers = []

        async def letters(word, times):
            callers.append(threading.get_ident())
            for _ in range(times):
                for letter in word:
                    yield letter

        items = await sm.collectFromJavaThread(letters, ["ab", 2])
        return items, callers == [threading.get_ident()]

    assert asyncio.run(main()) == (list("abab"), True)


def test_a_coroutine_function_instead_of_a_generator_function_is_a_clear_error():
    async def not_a_generator():
        return 1

    with pytest.raises(TypeError, match=r"a Java stream needs an async iterable; .*not_a_generator' returned "
                                        r"coroutine \(use an async generator function"):
        asyncio.run(sm.collectFromJavaThread(not_a_generator, []))
    with pytest.raises(TypeError, match="a Java stream needs an async iterable, or a function returning one, not int"):
        asyncio.run(sm.collectFromJavaThread(42, []))


def test_streaming_a_million_items_leaves_no_references_behind():
    probe = object()

    async def repeated(n):
        for _ in range(n):
            yield probe

    async def main():
        items = await sm.collect(repeated(1_000_000), 4096)
        assert len(items) == 1_000_000 and items[-1] is probe
        del items[:]

    before = sys.getrefcount(probe)
    asyncio.run(main())
    release_java_references(lambda: sys.getrefcount(probe) == before)
    assert sys.getrefcount(probe) == before  # Java held the probes as PyObjects
