"""Registers what runs when its interpreter ends (an atexit callback that imports, a weakref.finalize),
for the jawait run --isolated suite: each instance's end runs them with nothing of jawait's printed."""
import atexit
import sys
import weakref


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class _Resource:
    pass


_resource = _Resource()
weakref.finalize(_resource, say, "finalized")


@atexit.register
def _at_exit():
    import jawait  # noqa: F401  (through jawait's import hook, as an interpreter ends)
    say("at exit")


async def start(verticle):
    say("started")
