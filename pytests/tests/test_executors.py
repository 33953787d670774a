"""Async and stream functions whose Java bodies run on an executor (ModuleDefinition.runningOn)."""
import asyncio
import contextvars
import threading
import uuid

import pytest
from support import TRIO_SKIP_REASON

trio = pytest.importorskip("trio", reason=TRIO_SKIP_REASON, exc_type=ImportError)

import jawait_executor_testmod as ex
import jawait_rejecting_testmod as rejecting
import jawait_vertx_context_testmod as vc

import jawait

WORKER = "jawait-test-worker"


def test_async_bodies_run_on_the_executor_and_sync_ones_on_the_caller():
    assert asyncio.run(ex.threadName()) == WORKER
    assert trio.run(ex.threadName) == WORKER
    assert ex.sync_thread_name() != WORKER


def test_built_async_functions_run_on_the_executor_without_a_gil_token():
    import jawait_built_executor_testmod as built

    assert asyncio.run(built.describe(42)) == [42, WORKER, True]


def test_stream_bodies_run_on_the_executor():
    async def consume():
        return [item async for item in ex.count(100)]

    expected = [WORKER, *range(100)]
    assert asyncio.run(consume()) == expected
    assert trio.run(consume) == expected


def test_a_coroutine_cancelled_before_its_body_ran_never_runs_it():
    tag = uuid.uuid4().hex

    async def main():
        ex.hold()
        task = asyncio.create_task(ex.never(tag))
        await asyncio.sleep(0)  # the body is queued behind the held worker
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        ex.release()
        await ex.drained()

    asyncio.run(main())
    assert ex.neverCancelled(tag) is None  # the body never ran


async def body_ran(tag, sleep):
    while ex.neverCancelled(tag) is None:
        await sleep(0.001)


@pytest.mark.trio
async def test_trio_cancelling_after_the_body_ran_cancels_its_future():
    tag = uuid.uuid4().hex
    async with trio.open_nursery() as nursery:
        nursery.start_soon(ex.never, tag)
        await body_ran(tag, trio.sleep)
        assert ex.neverCancelled(tag) is False
        nursery.cancel_scope.cancel()
    assert ex.neverCancelled(tag) is True


def test_asyncio_timeout_after_the_body_ran_cancels_its_future():
    tag = uuid.uuid4().hex

    async def main():
        task = asyncio.create_task(ex.never(tag))
        await body_ran(tag, asyncio.sleep)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(task, 0.05)

    asyncio.run(main())
    assert ex.neverCancelled(tag) is True


def test_a_failing_body_raises_the_mapped_exception_and_a_null_one_a_clear_error():
    with pytest.raises(ValueError, match="no such shelf") as raised:
        asyncio.run(ex.fail("no such shelf"))
    assert isinstance(raised.value, jawait.JavaError)
    with pytest.raises(RuntimeError, match=r"returnsNull\(\) returned null instead of a CompletionStage"):
        asyncio.run(ex.returnsNull())


def test_a_refusing_executor_raises_a_clear_error_naming_the_function():
    with pytest.raises(RuntimeError, match=r"jawait_rejecting_testmod.work\(\): its executor refused to run it: "
                                           r"the test executor is shut down"):
        asyncio.run(rejecting.work())


def test_python_callbacks_from_the_executor_run_in_the_coroutine_context():
    request = contextvars.ContextVar("request")

    def seen(value):
        return (request.get(None), value, threading.current_thread() is threading.main_thread())

    async def main():
        request.set("r-42")
        return await ex.callBack(seen, 7)

    assert asyncio.run(main()) == ["r-42", 7, False]


def test_vertx_bodies_run_on_the_vertx_context():
    assert asyncio.run(vc.onContext()) is True
    assert trio.run(vc.onContext) is True


def test_vertx_http_calls_from_the_context_deliver_every_body():
    expected = bytes(i % 251 for i in range(10_000))

    async def main():
        return await asyncio.gather(*(vc.httpBody(10_000) for _ in range(20)))

    assert asyncio.run(main()) == [expected] * 20


def test_a_readstream_from_a_vertx_context_is_only_touched_on_that_context():
    async def all_items():
        return [item async for item in vc.recording(1000)]

    async def first_two():
        items = vc.recording(1000)
        taken = [await items.__anext__(), await items.__anext__()]
        await items.aclose()
        return taken

    assert asyncio.run(all_items()) == list(range(1000))
    assert vc.offContextCalls() == []
    assert trio.run(first_two) == [0, 1]
    assert vc.offContextCalls() == []


@pytest.mark.trio
async def test_trio_reads_a_file_through_a_stream_the_vertx_context_returned(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("".join(f"line {i}\n" for i in range(5000)))
    lines = [line async for line in vc.fileLines(str(path))]
    assert lines == [f"line {i}".encode() for i in range(5000)]


def test_an_early_exit_closes_the_file_the_vertx_context_opened(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("".join(f"line {i}\n" for i in range(5000)))
    closed_before = vc.closedFiles()

    async def first_three():
        taken = []
        lines = vc.fileLines(str(path))
        try:
            async for line in lines:
                taken.append(line)
                if len(taken) == 3:
                    break
        finally:
            await lines.aclose()
        return taken

    assert asyncio.run(first_three()) == [b"line 0", b"line 1", b"line 2"]
    assert vc.closedFiles() == closed_before + 1
