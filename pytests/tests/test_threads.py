"""Threads and the GIL: Python threads calling Java, GIL release per function."""
import sys
import threading
import time

import jawait_testmod as tm
import pytest

import _jawait


def _python_thread_ran_during(call):
    stop = threading.Event()

    def knock():
        while not stop.is_set() and not tm.passGate():
            time.sleep(0.0005)

    knocker = threading.Thread(target=knock)
    knocker.start()
    try:
        return call()
    finally:
        stop.set()
        knocker.join()


def test_release_gil_lets_python_threads_run_while_java_works():
    assert _python_thread_ran_during(lambda: tm.gateReleased(30_000))


def test_holding_the_gil_keeps_python_threads_waiting():
    if not getattr(sys, "_is_gil_enabled", lambda: True)():
        # Free-threaded: no GIL to hold; the other thread runs Python meanwhile.
        assert _python_thread_ran_during(lambda: tm.gateHolding(30_000))
    else:
        assert not _python_thread_ran_during(lambda: tm.gateHolding(300))


def test_python_threads_call_java_concurrently():
    results = []

    def work(k):
        results.append(sum(tm.add(i, k) for i in range(2000)))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted(sum(range(2000)) + 2000 * k for k in range(8))


def test_java_attaches_inside_a_detach_on_threads_python_made():
    results = []

    def work(k):
        results.append(tm.callInsideDetach(lambda: threading.current_thread().name + f" {k}"))

    work("main")
    threads = [threading.Thread(target=work, args=(k,), name=f"t{k}") for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results[1:]) == [f"t{k} {k}" for k in range(4)] and results[0].endswith(" main")


def test_python_threads_are_attached_to_the_jvm_once():
    names = []
    t = threading.Thread(target=lambda: names.extend(tm.javaThreadName() for _ in range(3)))
    t.start()
    t.join()
    assert names == ["jawait-python-thread"] * 3


@pytest.mark.skipif(_jawait.isolated, reason="a Java thread runs the program in an isolated interpreter")
def test_the_main_program_runs_on_pythons_main_thread():
    assert threading.current_thread() is threading.main_thread()
