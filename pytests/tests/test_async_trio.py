"""Java futures as coroutines under trio (pytest-trio)."""
import contextvars
import gc

import pytest
from support import TRIO_SKIP_REASON, wait_until

trio = pytest.importorskip("trio", reason=TRIO_SKIP_REASON, exc_type=ImportError)
import jawait_async_testmod as am
import trio.testing  # noqa: E402

import jawait


@pytest.mark.trio
async def test_await_and_results():
    assert await am.ready("now") == "now"
    assert await am.later(5, [1, 2]) == [1, 2]
    assert await am.laterTrio(5, "trio") == "trio"
    assert await am.vertxLater(5, "vertx") == "vertx"
    assert await am.stageLater(5, "stage") == "stage"


@pytest.mark.trio
async def test_nursery_start_soon_runs_java_functions_as_tasks():
    results = []

    async def collect(i):
        results.append(await am.later(10, i))

    async with trio.open_nursery() as nursery:
        nursery.start_soon(am.later, 10, "started directly")
        for i in range(50):
            nursery.start_soon(collect, i)
    assert sorted(results) == list(range(50))


@pytest.mark.trio
async def test_move_on_after_cancels_the_java_future():
    with trio.move_on_after(0.02) as scope:
        await am.never("trio-move-on")
    assert scope.cancelled_caught
    assert am.wasCancelled("trio-move-on")


@pytest.mark.trio
async def test_fail_after_raises_too_slow_and_cancels_the_java_future():
    with pytest.raises(trio.TooSlowError):
        with trio.fail_after(0.02):
            await am.vertxNever("trio-fail-after")
    assert am.wasCancelled("trio-fail-after")


@pytest.mark.trio
async def test_a_failing_cancellation_hook_does_not_break_trio_cancellation():
    with trio.move_on_after(0.02) as scope:
        await am.neverWithFailingHook("trio-failing-hook")
    assert scope.cancelled_caught  # cancelled as usual; the hook's failure is logged by Java
    assert am.wasCancelled("trio-failing-hook")
    assert am.pendingCalls() == 0


@pytest.mark.trio
async def test_cancelling_a_nursery_cancels_every_java_future():
    async with trio.open_nursery() as nursery:
        for i in range(20):
            nursery.start_soon(am.never, f"trio-nursery-{i}")
        await trio.sleep(0.01)
        nursery.cancel_scope.cancel()
    assert all(am.wasCancelled(f"trio-nursery-{i}") for i in range(20))


@pytest.mark.trio
async def test_java_failures_raise_mapped_exceptions():
    with pytest.raises(FileNotFoundError) as caught:
        await am.failLater(5, "java.io.FileNotFoundException", "gone")
    assert isinstance(caught.value, jawait.JavaError)
    with pytest.raises(ValueError):
        await am.throwNow("bad")


@pytest.mark.trio
async def test_an_asyncio_function_under_trio_names_backend_and_library():
    with pytest.raises(RuntimeError) as caught:
        await am.laterAsyncio(1, None)
    assert str(caught.value) == ("jawait_async_testmod.laterAsyncio() uses jawait's asyncio backend, "
                                 "but trio is running")


@pytest.mark.trio
async def test_each_wait_is_rescheduled_exactly_once_when_cancellation_races_completion():
    # Deadlines land before, during and after completions from a Java timer thread. A second
    # reschedule of a task makes trio fail; a missed one would hang (fail_after turns that into an error).
    completed = cancelled = 0
    with trio.fail_after(60):
        for i in range(1000):
            with trio.move_on_after(0.0001 * (i % 7)) as scope:
                assert await am.later(0, i) == i
                completed += 1
            cancelled += scope.cancelled_caught
        await trio.testing.wait_all_tasks_blocked()
    assert completed + cancelled == 1000


@pytest.mark.trio
async def test_a_wake_that_arrives_while_parking_is_not_lost():
    for i in range(2000):
        assert await am.racing(i) == i


def test_a_completion_after_trio_run_returned_is_harmless(capfd):
    async def start_and_leave():
        # A Vert.x future cannot be cancelled: it completes after this run is over.
        with trio.move_on_after(0.01):
            await am.vertxLater(100, "too late for trio")

    trio.run(start_and_leave)
    wait_until(lambda: am.vertxLaterCompleted("too late for trio"))
    gc.collect()

    async def next_run():
        return await am.later(5, "next run")

    assert trio.run(next_run) == "next run"
    assert am.pendingCalls() == 0  # the late completion was released, not kept for a finished run
    assert capfd.readouterr().err == ""


@pytest.mark.trio
async def test_callbacks_run_in_the_tasks_context():
    var = contextvars.ContextVar("var", default="unset")
    var.set("trio task")
    assert await am.callLater(lambda v: f"{v} {var.get()}", 5, "seen in") == "seen in trio task"


@pytest.mark.trio
async def test_python_awaitables_become_java_futures():
    async def double(x):
        await trio.sleep(0.001)
        return x * 2

    async def fails():
        await trio.sleep(0)
        raise LookupError("trio side")

    assert await am.awaitPython(double(21)) == 42
    assert await am.awaitPythonVertx(double(2)) == 4
    with pytest.raises(LookupError, match="trio side"):
        await am.awaitPython(fails())


@pytest.mark.trio
async def test_cancelling_the_java_future_cancels_the_trio_task():
    seen = []

    async def sleeper():
        try:
            await trio.sleep(10)
        except trio.Cancelled:
            seen.append("cancelled")
            raise

    assert await am.cancelFromJava(sleeper(), 20) is True
    await trio.sleep(0.05)
    assert seen == ["cancelled"]


@pytest.mark.trio
async def test_java_threads_submit_coroutines_to_the_running_trio_run():
    async def triple(x):
        await trio.sleep(0)
        return x * 3

    assert await am.submitFromJavaThread(triple, 5) == 15
