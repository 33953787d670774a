"""pytest configuration for jawait's stress suites: hostile input that once crashed the JVM.

They run in a jawait process of their own (not the one running ``tests/``), so that a crash fails
this suite only. ``JAWAIT_STRESS_SCALE`` multiplies their counts (default 1, what CI runs).
"""
import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    return request.param
