"""Logs at INFO and DEBUG when it starts; with {"basic": true} in its config, configures Python's logging
itself first (logging.basicConfig), as a program under python would."""
import logging
import sys

log = logging.getLogger("verticles.logs")


async def start(verticle):
    if verticle.config.get("basic"):
        logging.basicConfig(level=logging.INFO, format="python-side %(levelname)s %(name)s: %(message)s")
    log.info("pricing ready, rate %s", verticle.config.get("rate"))
    log.debug("debug detail")
    sys.stdout.write("started\n")
    sys.stdout.flush()
