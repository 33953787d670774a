"""pytest configuration for jawait's suites, which run inside the JVM-hosted interpreter."""
import sys

import pytest


def pytest_report_header(config):
    import _jawait  # only importable when Python is hosted by jawait

    return f"jawait: JVM-hosted Python {sys.version.split()[0]} ({sys.executable}), {_jawait.__name__} loaded"


@pytest.fixture
def testmod():
    import jawait_testmod

    return jawait_testmod


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    """anyio tests run on both of anyio's backends (in an isolated interpreter, on asyncio only:
    anyio runs trio in guest mode, whose I/O thread is a daemon thread, which isolated interpreters
    forbid)."""
    import _jawait

    if request.param == "trio" and _jawait.isolated:
        pytest.skip("anyio's trio runner needs daemon threads, which isolated interpreters do not allow")
    return request.param
