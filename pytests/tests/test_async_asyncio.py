"""Java futures as coroutines under asyncio (and uvloop)."""
import asyncio
import collections.abc
import contextvars
import gc
import importlib.util
import sys
import warnings

import jawait_async_testmod as am
import pytest
from support import TRIO_IMPORT_ERROR, TRIO_SKIP_REASON, wait_until

import _jawait
import jawait


def run(coroutine):
    return asyncio.run(coroutine)


def test_calls_return_genuine_coroutines():
    coroutine = am.ready(1)
    try:
        assert asyncio.iscoroutine(coroutine)
        assert isinstance(coroutine, collections.abc.Coroutine)
        assert asyncio.iscoroutinefunction(am.ready)
    finally:
        coroutine.close()


def test_a_ready_future_returns_in_the_first_step_with_one_crossing_to_java():
    async def main():
        crossings = []

        def profile(frame, event, function):
            # Every Java function is a builtin: a crossing into Java is a c_call event.
            if event == "c_call" and getattr(function, "__module__", None) in (am.__name__, "_jawait"):
                crossings.append(function.__name__)

        invocations = am.invocations()
        coroutine = am.ready(41)
        sys.setprofile(profile)
        try:
            coroutine.send(None)
        except StopIteration as stop:
            result = stop.value
        else:
            pytest.fail("a ready future suspended its coroutine")
        finally:
            sys.setprofile(None)
        assert (result, crossings, am.invocations()) == (41, ["ready"], invocations + 1)

    run(main())


def test_they_are_coroutine_functions_to_every_inspector():
    import inspect

    import jawait_stream_testmod as sm

    assert inspect.iscoroutinefunction(am.ready)
    assert asyncio.iscoroutinefunction(am.later)
    assert inspect.isasyncgenfunction(sm.count)
    assert not inspect.iscoroutinefunction(sm.count)
    assert str(inspect.signature(am.later)) == "(millis: int, value: Any) -> Any"  # annotated from the Java types
    assert repr(am.ready) == "<Java async function jawait_async_testmod.ready>"
    assert repr(sm.count) == "<Java stream function jawait_stream_testmod.count>"
    assert am.ready.__name__ == "ready" and am.ready.__module__ == "jawait_async_testmod"


def test_a_bad_call_raises_where_it_is_written_and_runs_nothing():
    before = am.invocations()
    with pytest.raises(TypeError, match=r"jawait_async_testmod.later\(\) argument 'millis' must be int, not str"):
        am.later("soon", 1)  # not awaited: the error is at the call
    with pytest.raises(TypeError, match=r"^later\(\) missing 1 required positional argument: 'value'$"):
        am.later(5)
    with pytest.raises(TypeError, match=r"ready\(\) got an unexpected keyword argument 'other'"):
        am.ready(1, other=2)
    assert am.invocations() == before


def test_a_call_never_awaited_releases_its_arguments():
    import weakref

    class Payload:
        pass

    payload = Payload()
    alive = weakref.ref(payload)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        coroutine = am.echoLater(payload, 1)
        del payload, coroutine
        gc.collect()
    assert alive() is None


def test_nothing_runs_until_awaited_and_a_never_awaited_call_never_runs():
    before = am.invocations()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        coroutine = am.ready(1)  # outside any loop: not an error
        del coroutine
        gc.collect()
    assert am.invocations() == before
    assert any(issubclass(w.category, RuntimeWarning) and "was never awaited" in str(w.message) for w in caught)


def test_awaiting_twice_raises_runtime_error():
    async def main():
        coroutine = am.ready("once")
        assert await coroutine == "once"
        with pytest.raises(RuntimeError, match="cannot reuse already awaited coroutine"):
            await coroutine

    run(main())


def test_asyncio_run_directly_on_the_java_coroutine():
    assert asyncio.run(am.later(10, "direct")) == "direct"


def test_results_convert_and_ready_futures_do_not_suspend():
    async def main():
        assert await am.ready([1, {"a": 2}]) == [1, {"a": 2}]
        assert await am.later(5, 2 ** 70) == 2 ** 70
        assert await am.stageLater(5, "stage") == "stage"
        assert await am.vertxLater(5, "vertx") == "vertx"

    run(main())


def test_tasks_gather_and_concurrency():
    async def main():
        task = asyncio.create_task(am.later(20, "task"))
        results = await asyncio.gather(*(am.later(10, i) for i in range(100)))
        assert results == list(range(100))
        assert await task == "task"

    run(main())


def test_java_failures_raise_mapped_exceptions_with_the_java_trace():
    async def main():
        with pytest.raises(TimeoutError) as caught:
            await am.failLater(5, "java.util.concurrent.TimeoutException", "slow")
        assert isinstance(caught.value, jawait.JavaError)
        assert "at dev.jawait.pytests.AsyncTestModule.failLater" in caught.value.java_stack_trace
        with pytest.raises(ValueError, match="already failed"):
            await am.failNow("java.lang.IllegalArgumentException", "already failed")
        with pytest.raises(ValueError, match="thrown at once"):
            await am.throwNow("thrown at once")
        with pytest.raises(jawait.JavaError, match="returned null instead of a CompletionStage or Vert.x Future"):
            await am.returnsNull()
        with pytest.raises(RuntimeError, match="vertx failure"):
            await am.vertxFailLater(5, "vertx failure")
        with pytest.raises(RuntimeError, match="CancellationException"):
            await am.cancelledLater(5)  # cancelled by Java: an error, not a cancelled task

    run(main())


def test_task_cancel_cancels_the_java_future():
    async def main():
        task = asyncio.create_task(am.never("task-cancel"))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert am.wasCancelled("task-cancel")

    run(main())


def test_wait_for_timeout_cancels_the_java_future():
    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(am.never("wait-for"), 0.02)
        assert am.wasCancelled("wait-for")

    run(main())


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
def test_asyncio_timeout_cancels_the_java_future():
    async def main():
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.02):
                await am.never("timeout-cm")
        assert am.wasCancelled("timeout-cm")

    run(main())


def test_vertx_futures_cancel_through_their_cancellation_hook():
    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(am.vertxNever("vertx-hook"), 0.02)
        assert am.wasCancelled("vertx-hook")

    run(main())


def test_a_future_completing_later_with_its_own_argument_delivers_it():
    probe = object()
    before = sys.getrefcount(probe)
    assert run(am.echoLater(probe, 20)) is probe
    assert sys.getrefcount(probe) == before


@pytest.mark.parametrize("flavor", ["asyncio", "trio"])
def test_java_called_by_python_starts_and_closes_a_loop_of_its_own(flavor):
    # The new loop's thread needs the GIL this thread holds: jawait releases it while waiting.
    assert am.startAndCloseLoop(flavor) == [True, True]


def test_a_method_returning_a_future_subtype_is_async():
    timer = am.vertxTimer(10)
    assert asyncio.iscoroutine(timer)
    assert run(timer) is None


def test_parameters_may_have_the_names_of_builtins():
    assert run(am.describeKind("tea")) == "kind tea"
    assert run(am.describeKind(type="tea")) == "kind tea"


def test_a_failing_cancellation_hook_does_not_replace_the_timeout():
    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(am.neverWithFailingHook("failing-hook"), 0.02)
        assert am.wasCancelled("failing-hook")

    run(main())


def test_closing_a_suspended_coroutine_cancels_the_java_future():
    async def main():
        coroutine = am.never("closed")
        future = asyncio.ensure_future(coroutine)
        await asyncio.sleep(0.01)
        future.cancel()
        await asyncio.sleep(0)
        assert am.wasCancelled("closed")

    run(main())


def test_a_trio_function_under_asyncio_names_backend_and_library():
    async def main():
        with pytest.raises(RuntimeError) as caught:
            await am.laterTrio(1, None)
        assert str(caught.value) == ("jawait_async_testmod.laterTrio() uses jawait's trio backend, "
                                     "but asyncio is running")

    if TRIO_IMPORT_ERROR:
        pytest.skip(TRIO_SKIP_REASON)
    run(main())


def test_a_function_whose_backend_cannot_be_imported_fails_when_awaited_naming_it():
    async def main():
        with pytest.raises(ImportError) as caught:
            await am.laterTrio(1, None)
        assert str(caught.value) == ("jawait_async_testmod.laterTrio() needs jawait's backend jawait._backend_trio, "
                                     f"which cannot be imported in this interpreter: {TRIO_IMPORT_ERROR}")

    if not TRIO_IMPORT_ERROR:
        pytest.skip("trio can be imported here")
    run(main())


def test_awaiting_with_no_loop_running_names_the_backend():
    coroutine = am.laterAsyncio(1, None)
    with pytest.raises(RuntimeError) as caught:
        coroutine.send(None)
    assert str(caught.value).startswith("jawait_async_testmod.laterAsyncio() uses jawait's asyncio backend, "
                                        "but no async library is running in this thread")


@pytest.mark.skipif(_jawait.isolated, reason="uvloop cannot load in an isolated interpreter (see the next test)")
def test_uvloop_works_as_an_asyncio_loop():
    uvloop = pytest.importorskip("uvloop")

    async def main():
        assert type(asyncio.get_running_loop()).__module__.startswith("uvloop")
        return await asyncio.gather(am.later(5, "uv"), am.laterAsyncio(5, "loop"), am.vertxLater(5, "!"))

    loop = uvloop.new_event_loop()
    try:
        assert loop.run_until_complete(main()) == ["uv", "loop", "!"]
    finally:
        loop.close()


@pytest.mark.skipif(not _jawait.isolated, reason="the main interpreter loads uvloop")
def test_uvloop_in_an_isolated_interpreter_is_the_import_error_cpython_gives_naming_the_main_interpreter():
    if importlib.util.find_spec("uvloop") is None:
        pytest.skip("uvloop is not installed")
    with pytest.raises(ImportError) as caught:
        import uvloop  # noqa: F401
    assert "does not support loading in subinterpreters" in str(caught.value)
    assert any("the main interpreter can run it" in note for note in caught.value.__notes__)


def test_a_wake_that_arrives_while_parking_is_not_lost():
    async def main():
        for i in range(2000):
            assert await am.racing(i) == i

    run(main())


def test_a_completion_for_an_already_cancelled_coroutine_is_dropped_quietly():
    errors = []

    async def main():
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
        for _ in range(300):
            task = asyncio.create_task(am.racing("late"))
            await asyncio.sleep(0)
            task.cancel()  # races with the completion from a Java thread
            try:
                await task
            except asyncio.CancelledError:
                pass
        await asyncio.sleep(0.05)

    run(main())
    assert errors == []  # no InvalidStateError or anything else reported by the loop


def test_a_completion_after_the_loop_closed_is_harmless(capfd):
    loop = asyncio.new_event_loop()
    task = loop.create_task(am.vertxLater(100, "too late for asyncio"))  # a Vert.x future: cancelling cannot stop it
    loop.run_until_complete(asyncio.sleep(0.01))
    task._log_destroy_pending = False  # closed with a task pending, on purpose
    loop.close()
    del task
    wait_until(lambda: am.vertxLaterCompleted("too late for asyncio"))  # into the closed loop's channel
    assert run(am.later(5, "next loop")) == "next loop"  # its channel sweeps the closed loop's
    assert am.pendingCalls() == 0  # the late completion was released, not kept for a dead loop
    captured = capfd.readouterr()
    assert captured.err == ""


def test_callbacks_run_in_the_coroutines_context():
    var = contextvars.ContextVar("var", default="unset")

    async def main():
        var.set("inside the task")
        seen = await am.callLater(lambda value: f"{value}: {var.get()}", 5, "called from Java")
        return seen

    assert run(main()) == "called from Java: inside the task"
    assert var.get() == "unset"


def test_release_gil_runs_the_java_body_with_the_gil_released():
    import threading
    import time

    stop = threading.Event()

    def knock():
        while not stop.is_set() and not am.passGate():
            time.sleep(0.0005)

    knocker = threading.Thread(target=knock)
    knocker.start()
    try:
        assert run(am.gateReleased(30_000)) is True
    finally:
        stop.set()
        knocker.join()


def test_python_awaitables_become_java_futures():
    async def double(x):
        await asyncio.sleep(0.001)
        return x * 2

    async def fails():
        raise KeyError("from python")

    async def main():
        assert await am.awaitPython(double(21)) == 42
        assert await am.awaitPythonVertx(double(4)) == 8
        task = asyncio.ensure_future(double(5))
        assert await am.awaitPython(task) == 10
        future = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.01, future.set_result, "future")
        assert await am.awaitPython(future) == "future"
        with pytest.raises(KeyError, match="from python"):
            await am.awaitPython(fails())

    run(main())


def test_cancelling_the_java_future_cancels_the_python_task():
    seen = []

    async def sleeper():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            seen.append("cancelled")
            raise

    async def main():
        assert await am.cancelFromJava(sleeper(), 20) is True
        await asyncio.sleep(0.05)

    run(main())
    assert seen == ["cancelled"]


def test_java_threads_submit_coroutines_to_the_running_loop():
    async def triple(x):
        await asyncio.sleep(0)
        return x * 3

    async def main():
        return await am.submitFromJavaThread(triple, 14)

    assert run(main()) == 42
