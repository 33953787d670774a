"""The Python half of the submit flood benchmark: a loop heartbeat, the coroutine submitted, and
the run_coroutine_threadsafe flood that is the baseline."""
import asyncio
import threading
import time

TICK = 0.002


async def noop():
    pass


class Heartbeat:
    """A task that sleeps TICK seconds over and over on its loop and records how much later than
    asked each wake-up came: the worst is the loop's longest stall."""

    def __init__(self):
        self.max_stall = 0.0
        self._stopped = False

    async def run(self):
        loop = asyncio.get_running_loop()
        while not self._stopped:
            asked = loop.time()
            await asyncio.sleep(TICK)
            self.max_stall = max(self.max_stall, loop.time() - asked - TICK)

    def stop(self):
        self._stopped = True


def flood_threadsafe(loop, seconds):
    """From a new Python thread: run_coroutine_threadsafe(noop()) as fast as possible for ``seconds``.
    Returns (submitted, completed during the flood, the heartbeat's worst stall in ms)."""
    heartbeat = Heartbeat()
    beating = asyncio.run_coroutine_threadsafe(heartbeat.run(), loop)
    futures = []

    def submit():
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            futures.append(asyncio.run_coroutine_threadsafe(noop(), loop))

    thread = threading.Thread(target=submit)
    thread.start()
    thread.join()
    during = sum(f.done() for f in futures)
    for future in futures:
        future.result(timeout=60)
    loop.call_soon_threadsafe(heartbeat.stop)
    beating.result(timeout=10)
    return len(futures), during, heartbeat.max_stall * 1000



async def running_loop():
    return asyncio.get_running_loop()


async def stop(heartbeat):
    heartbeat.stop()
