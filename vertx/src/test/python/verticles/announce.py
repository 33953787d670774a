"""Says when it starts and stops, with its config and event loop, for the jawait run suite."""
import json
import sys

import sniffio


def say(line):
    """One write per line: instances run on threads of their own, and print() writes the end apart."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def start(verticle):
    say(f"started {verticle.deployment_id} on {sniffio.current_async_library()} with "
        f"{json.dumps(verticle.config, sort_keys=True)}")


async def stop(verticle):
    say(f"stopped {verticle.deployment_id}")
