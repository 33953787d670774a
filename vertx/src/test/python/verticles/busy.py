"""Answers on config["address"], and keeps its loop busy with CPU-bound Python when asked."""
import time

busy_done = []


async def start(verticle):
    async def answer(msg):
        return msg.body

    verticle.handler(verticle.config["address"], answer)

    async def busy(msg):
        end = time.perf_counter() + msg.body
        while time.perf_counter() < end:  # holds the GIL, never yields to the loop
            sum(range(100))
        busy_done.append(True)

    verticle.handler(verticle.config["address"] + ".busy", busy)
