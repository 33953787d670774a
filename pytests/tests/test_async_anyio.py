"""Java futures as coroutines under anyio, on both of its backends (sniffio detection)."""
import anyio
import jawait_async_testmod as am
import pytest
from support import TRIO_IMPORT_ERROR

pytestmark = pytest.mark.anyio


async def test_default_backend_detects_the_library(anyio_backend):
    assert await am.later(5, anyio_backend) == anyio_backend
    assert await am.laterSniffio(5, "sniffed") == "sniffed"
    assert await am.ready("ready") == "ready"


async def test_task_groups(anyio_backend):
    results = []

    async def collect(i):
        results.append(await am.later(5, i))

    async with anyio.create_task_group() as group:
        for i in range(30):
            group.start_soon(collect, i)
    assert sorted(results) == list(range(30))


async def test_cancel_scopes_cancel_the_java_future(anyio_backend):
    with anyio.move_on_after(0.02) as scope:
        await am.never(f"anyio-{anyio_backend}")
    assert scope.cancel_called
    assert am.wasCancelled(f"anyio-{anyio_backend}")
    with pytest.raises(TimeoutError):
        with anyio.fail_after(0.02):
            await am.vertxNever(f"anyio-vertx-{anyio_backend}")
    assert am.wasCancelled(f"anyio-vertx-{anyio_backend}")


async def test_cancelling_a_task_group(anyio_backend):
    async with anyio.create_task_group() as group:
        for i in range(10):
            group.start_soon(am.never, f"anyio-group-{anyio_backend}-{i}")
        await anyio.sleep(0.01)
        group.cancel_scope.cancel()
    assert all(am.wasCancelled(f"anyio-group-{anyio_backend}-{i}") for i in range(10))


async def test_python_awaitables_become_java_futures(anyio_backend):
    async def value():
        await anyio.sleep(0.001)
        return "anyio"

    assert await am.awaitPython(value()) == "anyio"


async def test_a_backend_bound_function_under_the_other_library_is_refused(anyio_backend):
    other = am.laterTrio if anyio_backend == "asyncio" else am.laterAsyncio
    if anyio_backend == "asyncio" and TRIO_IMPORT_ERROR:  # trio's backend cannot even load: the call says so
        with pytest.raises(ImportError, match=r"laterTrio\(\) needs jawait's backend jawait._backend_trio"):
            await other(1, None)
        return
    with pytest.raises(RuntimeError, match=f"but {anyio_backend} is running"):
        await other(1, None)
