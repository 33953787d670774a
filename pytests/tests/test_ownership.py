"""Reference ownership across the boundary: counts return to where they started."""
import sys

import jawait_testmod as tm

N = 100_000


def test_calls_and_conversions_leave_reference_counts_unchanged():
    probe = object()
    container = [probe, {"k": probe}, (probe,)]
    before = sys.getrefcount(probe)
    for _ in range(N):
        assert tm.echo(probe) is probe
        tm.echo(container)
        tm.callPython(lambda: probe)
    assert sys.getrefcount(probe) == before


def test_lists_built_in_java_own_their_items():
    probe = object()
    before = sys.getrefcount(probe)
    items = tm.repeat(probe, 1000)
    assert all(item is probe for item in items)
    assert sys.getrefcount(probe) == before + 1000
    del items
    assert sys.getrefcount(probe) == before


def test_java_object_handles_are_released():
    points = [tm.point(i, i) for i in range(10_000)]
    assert tm.pointX(points[-1]) == 9999
    del points
    assert tm.pointX(tm.point(1, 2)) == 1
