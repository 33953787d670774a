"""The Python halves of the wake benchmarks: jawait's batched wakes, the pure-Python floor, and
pyo3-async's design (one GIL take and one thread-safe call per completion), on asyncio and trio.

Each scenario parks N tasks, then times from the moment completions start until every task has
its result, and returns completions per second.
"""
import asyncio
import time

try:
    import trio
    from outcome import Value
    from trio.lowlevel import current_task, current_trio_token, reschedule, wait_task_rescheduled
except ImportError:  # an isolated interpreter on CPython 3.12 cannot load trio (it needs ctypes): asyncio only
    trio = None

import jawait_bench_wake as java  # the Java side (WakeBenchmarks.MODULE)

# ---- asyncio ------------------------------------------------------------------------------------

async def asyncio_jawait(n):
    """Tasks await Java futures; Java threads complete them; jawait wakes the loop in batches."""
    tasks = [asyncio.create_task(java.pending(i)) for i in range(n)]
    await asyncio.sleep(0.2)  # every task parked
    start = time.perf_counter()
    java.complete_all()  # Java threads start completing
    results = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    assert results[-1] == n - 1
    return n / elapsed


async def asyncio_floor(n):
    """Pure Python: tasks await asyncio futures that the loop itself resolves, no threads."""

    def prepare(loop, futures):
        def resolve():
            for i, future in enumerate(futures):
                future.set_result(i)

        return resolve

    return await _asyncio_parked_futures(n, prepare)


async def asyncio_per_wake(n):
    """pyo3-async's design: per completion, a Java thread takes the GIL and calls call_soon_threadsafe."""

    def prepare(loop, futures):
        java.prepare_wakes(loop.call_soon_threadsafe, [f.set_result for f in futures])
        return java.wake_prepared

    return await _asyncio_parked_futures(n, prepare)


async def _asyncio_parked_futures(n, prepare):
    """Parks n tasks on asyncio futures; then times, from the call of ``prepare(loop, futures)()``,
    until all have results."""
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in range(n)]

    async def wait(future):
        return await future

    tasks = [asyncio.create_task(wait(f)) for f in futures]
    await asyncio.sleep(0.2)  # every task parked
    resolve = prepare(loop, futures)
    start = time.perf_counter()
    resolve()
    results = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    assert results[-1] == n - 1
    return n / elapsed


# ---- trio ---------------------------------------------------------------------------------------

async def trio_jawait(n):
    results = [None] * n

    async def one(i):
        results[i] = await java.pending(i)

    async with trio.open_nursery() as nursery:
        for i in range(n):
            nursery.start_soon(one, i)
        await trio.sleep(0.2)
        start = time.perf_counter()
        java.complete_all()
    elapsed = time.perf_counter() - start
    assert results[-1] == n - 1
    return n / elapsed


def _parked_trio_tasks(n, results, tasks, nursery):
    async def one(i):
        tasks[i] = current_task()
        results[i] = await wait_task_rescheduled(lambda _: trio.lowlevel.Abort.FAILED)

    for i in range(n):
        nursery.start_soon(one, i)


async def trio_floor(n):
    """Pure Python: tasks parked in wait_task_rescheduled, rescheduled by the run itself."""
    results, tasks = [None] * n, [None] * n
    async with trio.open_nursery() as nursery:
        _parked_trio_tasks(n, results, tasks, nursery)
        await trio.sleep(0.2)
        start = time.perf_counter()
        for i, task in enumerate(tasks):
            reschedule(task, Value(i))
    elapsed = time.perf_counter() - start
    assert results[-1] == n - 1
    return n / elapsed


async def trio_per_wake(n):
    """pyo3-async's design: per completion, a Java thread takes the GIL and calls run_sync_soon."""
    results, tasks = [None] * n, [None] * n
    token = current_trio_token()
    async with trio.open_nursery() as nursery:
        _parked_trio_tasks(n, results, tasks, nursery)
        await trio.sleep(0.2)
        java.prepare_wakes(token.run_sync_soon, [_rescheduler(task) for task in tasks])
        start = time.perf_counter()
        java.wake_prepared()
    elapsed = time.perf_counter() - start
    assert results[-1] == n - 1
    return n / elapsed


def _rescheduler(task):
    return lambda value: reschedule(task, Value(value))
