"""Imports an extension module that cannot load in an isolated interpreter (uvloop: single-phase)."""
import uvloop  # noqa: F401


async def start(verticle):
    pass
