"""CPython alone, for the freethreaded group's figures: the interpreters group's CPU-bound handler
called from N Python threads (no JVM, no event loop), in requests per second, the median of 7
one-second rounds. On a free-threaded build it shows what CPython's own threads gain from a second
core, and against the GIL build what free threading costs one thread.

    python bench/src/main/resources/jawait_bench/cpython_threads.py THREADS
"""
import os
import sys
import sysconfig
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interpreters import handle, request_body  # noqa: E402

BODY = request_body()


def once():
    coroutine = handle(BODY)
    try:
        coroutine.send(None)  # the handler awaits nothing: it ends at the first send
    except StopIteration as done:
        return done.value
    raise RuntimeError("the handler awaited something")


def serve(counts, index, stop):
    served = 0
    while not stop.is_set():
        once()
        served += 1
    counts[index] = served


def per_second(threads):
    counts = [0] * threads
    stop = threading.Event()
    workers = [threading.Thread(target=serve, args=(counts, i, stop)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    stop.set()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.perf_counter() - started)


def main():
    threads = int(sys.argv[1])
    for _ in range(300):
        once()
    rates = sorted(per_second(threads) for _ in range(7))
    build = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    print(f"CPython {sys.version.split()[0]}{build}, {threads} thread(s): {rates[3]:.0f} requests/s")


if __name__ == "__main__":
    main()
