"""Helpers shared by the pytest suites."""
import gc
import sys
import time

import jawait_stream_testmod as sm


def refcount_after_java_gc(probe, expected, timeout=60.0):
    """``probe``'s reference count once Java has let go of the PyObjects it dropped.

    Java releases a dropped PyObject after its garbage collector finds it and the next call into
    Java drains the queue; with a million of them that takes a few collections. Returns as soon as
    the count is ``expected``, or what it is after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        gc.collect()
        sm.collectJavaGarbage()
        sm.wakes()  # a call into Java: releases what the collector queued
        count = sys.getrefcount(probe) - 1  # not counting this function's own argument
        if count == expected or time.monotonic() > deadline:
            return count
