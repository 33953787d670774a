"""jawait.vertx is typed (PEP 561): a verticle type-checks with mypy against what `jawait --stubs` writes,
with no ignore_missing_imports, and mypy reports a wrong use of the API."""
import importlib.util
import os
import subprocess
import sys
import sysconfig
import textwrap

import pytest

VERTICLE = """\
import logging

from jawait.vertx import EventBus, Message, ReplyError, Verticle, current_verticle

PRICES: dict[str, float] = {"tea": 4.5}
log = logging.getLogger(__name__)


async def quote(msg: Message) -> dict[str, float]:
    item: str = msg.body["item"]
    if item not in PRICES:
        raise ReplyError(404, f"no such item: {item}")
    trace: str | None = msg.headers.get("trace")
    log.info("quote for %s (%s)", item, trace)
    return {"total": PRICES[item] * msg.body["qty"]}


async def audit(msg: Message) -> None:
    if msg.expects_reply:
        await msg.reply("seen", headers={"by": "pricing"})


async def refresh(bus: EventBus) -> None:
    try:
        reply: Message = await bus.request("prices.latest", {"since": 0}, timeout=2.5)
        PRICES.update(reply.body)
    except ReplyError as error:
        log.warning("no prices: %d %s", error.code, error.message)
    bus.publish("pricing.refreshed", None)


async def start(verticle: Verticle) -> None:
    rate: float = verticle.config.get("rate", 1.0)
    log.info("rate %s, deployment %s", rate, verticle.deployment_id)
    verticle.handler("pricing.quote", quote)

    @verticle.handler("pricing.audit", concurrency=4)
    async def audited(msg: Message) -> None:
        await audit(msg)

    verticle.start_soon(refresh, verticle.bus)
    assert current_verticle() is verticle


async def stop(verticle: Verticle) -> None:
    async with verticle.bus.consumer("pricing.last") as messages:
        async for msg in messages:
            msg.fail(503, "stopping")
            break
"""


@pytest.fixture(scope="module")
def stubs(tmp_path_factory, java):
    directory = tmp_path_factory.mktemp("typings")
    written = java.writeStubs(str(directory))
    for name in ("jawait/py.typed", "jawait/vertx/__init__.py", "jawait/vertx/_bus.py", "_jawait.pyi",
                 "_jawait_vertx.pyi"):
        assert str(directory / name) in written
    return directory


@pytest.fixture(scope="module")
def java():
    import jawait_vertx_testmod

    return jawait_vertx_testmod


# scripts/venv leaves mypy out on free-threaded 3.13: its ast_serialize is built with PyO3, which
# builds for free-threaded CPython from 3.14 only.
NO_MYPY_HERE = bool(sysconfig.get_config_var("Py_GIL_DISABLED")) and importlib.util.find_spec("mypy") is None


def mypy(stubs, *arguments):
    if NO_MYPY_HERE:
        pytest.skip("no mypy for free-threaded CPython 3.13 (its ast_serialize needs 3.14 there)")
    environment = dict(os.environ, MYPYPATH=str(stubs))
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(stubs.parent / "mypy-cache"),
                             "--no-error-summary", "--hide-error-context", *arguments],
                            capture_output=True, text=True, env=environment, cwd=stubs.parent)
    return result.returncode, result.stdout + result.stderr


def test_jawaits_python_packages_pass_mypy_strict(stubs):
    status, output = mypy(stubs, "--strict", "-p", "jawait")
    assert status == 0, output


@pytest.mark.skipif(sys.version_info < (3, 10), reason="the verticle's annotations use X | None")
def test_a_verticle_using_the_event_bus_type_checks(stubs, tmp_path):
    program = tmp_path / "pricing.py"
    program.write_text(VERTICLE)
    status, output = mypy(stubs, "--strict", str(program))
    assert status == 0, output


def test_mypy_reports_a_wrong_use_of_the_api(stubs, tmp_path):
    program = tmp_path / "wrong.py"
    program.write_text(textwrap.dedent("""\
        from jawait.vertx import EventBus, Message, Verticle

        async def start(verticle: Verticle) -> None:
            await verticle.bus.request(42, {"item": "tea"})
            verticle.bus.send("audit", "x", headers={"n": 1})

        async def handle(msg: Message) -> None:
            msg.fail("404", "no such item")
            reply: str = await msg.reply("x")
        """))
    status, output = mypy(stubs, str(program))
    assert status == 1, output
    assert 'wrong.py:4: error: Argument 1 to "request" of "EventBus" has incompatible type "int"; expected "str"' in output
    assert 'wrong.py:5: error: Dict entry 0 has incompatible type "str": "int"; expected "str": "str"' in output
    assert 'wrong.py:8: error: Argument 1 to "fail" of "Message" has incompatible type "str"; expected "int"' in output
    assert 'wrong.py:9: error: Incompatible types in assignment (expression has type "None", variable has type "str")' in output
