"""Volume: many awaits, many cancellations, completions from several Java threads at once."""
import asyncio
import gc
import random
import sys

import pytest
from support import TRIO_SKIP_REASON

trio = pytest.importorskip("trio", reason=TRIO_SKIP_REASON, exc_type=ImportError)

import jawait_async_testmod as am

AWAITS = 100_000


async def _await_many(probe, gather):
    for start in range(0, AWAITS, 1000):
        # Completed by 4 Java threads at once; each batch is parked before its completions land.
        results = await gather(*(am.fromPool(i) for i in range(start, start + 1000)))
        assert results[-1] == start + 999
        assert await am.ready(probe) is probe


def _leak_check(run):
    probe = object()
    run(probe)  # warm-up: caches, channel, handle table
    gc.collect()
    refs, heap = sys.getrefcount(probe), am.heapAfterGc()
    run(probe)
    gc.collect()
    grown = am.heapAfterGc() - heap
    assert sys.getrefcount(probe) == refs
    assert am.pendingCalls() == 0
    assert grown < 4 * 1024 * 1024, f"Java heap grew by {grown} bytes over {AWAITS} awaits"


def test_100k_awaits_under_asyncio_leave_no_references_or_java_heap_behind():
    _leak_check(lambda probe: asyncio.run(_await_many(probe, asyncio.gather)))


def test_100k_awaits_under_trio_leave_no_references_behind():
    async def gather(*coroutines):
        results = [None] * len(coroutines)

        async def one(i, coroutine):
            results[i] = await coroutine

        async with trio.open_nursery() as nursery:
            for i, coroutine in enumerate(coroutines):
                nursery.start_soon(one, i, coroutine)
        return results

    _leak_check(lambda probe: trio.run(_await_many, probe, gather))


def test_10k_random_cancellations_from_both_sides_leave_nothing_pending():
    rng = random.Random(20261122)
    errors = []

    async def main():
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
        tags = [f"stress-{i}" for i in range(10_000)]
        tasks = [asyncio.create_task(am.never(tag)) for tag in tags]
        await asyncio.sleep(0.05)  # every task parked
        from_python = from_java = completed = 0
        for tag, task in zip(tags, tasks):
            side = rng.random()
            if side < 0.4:
                task.cancel()
                from_python += 1
            elif side < 0.8:
                am.cancelNeverFromJava(tag)
                from_java += 1
            else:
                am.completeNever(tag, tag)
                completed += 1
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        cancelled = sum(isinstance(o, asyncio.CancelledError) for o in outcomes)
        java_cancelled = sum(isinstance(o, RuntimeError) and "CancellationException" in str(o) for o in outcomes)
        values = sum(o == tag for o, tag in zip(outcomes, tags))
        assert (cancelled, java_cancelled, values) == (from_python, from_java, completed)
        assert all(task.done() for task in tasks)
        am.forget("stress-")

    asyncio.run(main())
    assert errors == []
    assert am.pendingCalls() == 0


@pytest.mark.trio
async def test_trio_random_cancellations_leave_nothing_pending():
    rng = random.Random(7)
    async with trio.open_nursery() as nursery:
        for i in range(2000):
            nursery.start_soon(am.never, f"trio-stress-{i}")
        await trio.sleep(0.05)
        for i in range(2000):
            if rng.random() < 0.5:
                am.completeNever(f"trio-stress-{i}", i)
        nursery.cancel_scope.cancel()
    am.forget("trio-stress-")
    assert am.pendingCalls() == 0
