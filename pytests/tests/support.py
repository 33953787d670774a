"""Helpers shared by the pytest suites."""
import gc
import time

import jawait_stream_testmod as sm


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
