"""Whether instances of one verticle in the main interpreter run Python at the same moment.

Each instance's ``start`` (config ``"meet_at_start"``), and its handler of requests on config
``"address"``, spin in pure Python until another instance spins at that moment too: it never
releases anything the other needs, so two spinners can only see each other if their threads run
Python in parallel. With a GIL, CPython would still let the other in by switching threads every 5 ms,
so the spinner raises the switch interval first; one then holds the GIL while it spins, and gives up
after config ``"limit"`` turns (0: only after 50 s). With ``"native"``, every turn also
validates a body with pydantic-core, a native package with free-threaded wheels.
"""
import sys
import threading
import time

_rounds = {}  # round -> {thread ident: "spinning", "met" or "left"}


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _validator():
    from pydantic_core import SchemaValidator, core_schema

    return SchemaValidator(core_schema.typed_dict_schema({
        "item": core_schema.typed_dict_field(core_schema.str_schema(min_length=1)),
        "qty": core_schema.typed_dict_field(core_schema.int_schema(ge=0)),
    }))


def meet(key, limit, native):
    """Spins until a thread other than this one spins in ``meet(key)`` at the same moment, then until
    that thread has seen this one too: True. False if a wait takes more than ``limit`` turns."""
    sys.setswitchinterval(1000)
    validate = _validator().validate_python if native else None
    me = threading.get_ident()
    here = _rounds.setdefault(key, {})
    deadline = time.monotonic() + 50

    def wait_for(*states):
        """Spins until another thread is in one of ``states``: whether it came in time."""
        turns = 0
        while not any(state in states for thread, state in list(here.items()) if thread != me):
            if validate is not None:
                validate({"item": "tea", "qty": turns})
            turns += 1
            if turns == limit or time.monotonic() > deadline:
                return False
        return True

    here[me] = "spinning"
    if wait_for("spinning", "met"):
        here[me] = "met"
        if wait_for("met"):
            return True
    here[me] = "left"
    return False


async def start(verticle):
    config = verticle.config
    sys.setswitchinterval(1000)  # before any instance spins: a thread waiting for the GIL then waits that long
    if config.get("meet_at_start"):
        met = meet("start", config.get("limit", 0), config.get("native", False))
        gil = getattr(sys, "_is_gil_enabled", lambda: True)()
        say(f"met another instance at start: {met}; GIL enabled: {gil}")
    if "address" in config:
        @verticle.handler(config["address"])
        async def together(msg):
            met = meet(msg.body["round"], msg.body.get("limit", 0), msg.body.get("native", False))
            return {"met": met, "thread": threading.get_ident(),
                    "gil": getattr(sys, "_is_gil_enabled", lambda: True)()}
