"""Says when it starts and stops, with its config and event loop, for the jawait run suite."""
import json

import sniffio


async def start(verticle):
    print(f"started {verticle.deployment_id} on {sniffio.current_async_library()} with "
          f"{json.dumps(verticle.config, sort_keys=True)}", flush=True)


async def stop(verticle):
    print(f"stopped {verticle.deployment_id}", flush=True)
