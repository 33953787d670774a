"""pytest configuration for jawait.vertx's suites, which run inside the JVM-hosted interpreter
against the Vert.x instance of the Java test module jawait_vertx_testmod."""
import sys
import uuid

import pytest


def pytest_report_header(config):
    import _jawait  # only importable when Python is hosted by jawait

    return f"jawait: JVM-hosted Python {sys.version.split()[0]} ({sys.executable}), {_jawait.__name__} loaded"


@pytest.fixture(params=["asyncio", "uvloop", "trio"])
def anyio_backend(request):
    """The anyio suites run on asyncio, asyncio with uvloop, and trio."""
    if request.param == "uvloop":
        pytest.importorskip("uvloop")
        return "asyncio", {"use_uvloop": True}
    return request.param


@pytest.fixture
def java():
    """The Java peers: Java consumers and a Java client on the suites' Vert.x instance."""
    import jawait_vertx_testmod

    return jawait_vertx_testmod


@pytest.fixture
def bus(java):
    from jawait.vertx import EventBus

    return EventBus(java.vertx())


@pytest.fixture
def address(request):
    """An address of the test's own."""
    return f"test.{request.function.__name__}.{uuid.uuid4().hex[:8]}"
