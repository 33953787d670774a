"""Helpers shared by the pytest suites."""
import gc
import importlib
import time

import jawait_stream_testmod as sm


def _import_error(name):
    try:
        importlib.import_module(name)
    except ImportError as error:
        return str(error)
    return None


TRIO_IMPORT_ERROR = _import_error("trio")
"""Why trio cannot be imported here, or None: an isolated interpreter on CPython 3.12 cannot load ctypes."""
TRIO_SKIP_REASON = ("trio cannot be imported here: in an isolated interpreter on CPython 3.12 it needs ctypes, "
                    "whose extension module loads in isolated interpreters from 3.13 on")


def wait_until(condition, timeout=60.0):
    """Waits (blocking, in steps of 10 ms) until ``condition()`` holds; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not reached within {timeout} s: {condition}"
        time.sleep(0.01)


def release_java_references(done, timeout=60.0):
    """Lets Java release the PyObjects it dropped until ``done()`` holds, or ``timeout`` seconds pass.

    Java releases a dropped PyObject once its garbage collector has found it and a call into Java
    drains the queue; a million of them can take a few collections.
    """
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        gc.collect()
        sm.collectJavaGarbage()
        sm.wakes()  # a call into Java: releases what the collector queued
