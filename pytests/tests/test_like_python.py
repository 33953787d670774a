"""The jawait command side by side with the python command.

Each test runs the same small program under ``python`` (the Python that jawait embeds here) and
under ``bin/jawait`` (a new JVM that sees this suite's Java modules), then compares what they did:
output, exit status, where a signal's handler ran. Waits are bounded; none is a timing threshold.
"""
import os
import pathlib
import select
import signal
import subprocess
import sys
import textwrap
import time

import jawait_testmod
import pytest

JAWAIT = str(pathlib.Path(__file__).resolve().parents[2] / "bin" / "jawait")
PYTHON = sys.executable
TIMEOUT = 120


def _environment():
    environment = dict(os.environ)
    environment.update(JAWAIT_PYTHON=PYTHON, JAWAIT_DIST="none", JAWAIT_CLASSPATH=jawait_testmod.javaClassPath())
    return environment


ENVIRONMENT = _environment()


def run(command, *args, input=None, cwd=None):
    """``command`` ("python" or "jawait") with ``args``; the CompletedProcess (text)."""
    executable = PYTHON if command == "python" else JAWAIT
    return subprocess.run([executable, *args], input=input, cwd=cwd, env=ENVIRONMENT, capture_output=True,
                          text=True, timeout=TIMEOUT)


def both(*args, **kwargs):
    return run("python", *args, **kwargs), run("jawait", *args, **kwargs)


def assert_same(python, jawait, replace=()):
    """The same exit status, output and error output; ``replace`` pairs undo expected differences."""
    stderr = jawait.stderr
    for jawait_text, python_text in replace:
        stderr = stderr.replace(jawait_text, python_text)
    assert (jawait.returncode, jawait.stdout, stderr) == (python.returncode, python.stdout, python.stderr)


def script(tmp_path, source, name="program.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


# ---- the command line -----------------------------------------------------------------------------

FLAGS = "import sys; print(sys.argv, sys.flags, sys.warnoptions, sys._xoptions, getattr(sys, 'orig_argv', [])[1:])"


@pytest.mark.parametrize("options", [
    [],
    ["-W", "error", "-X", "dev", "-u", "-O", "-B", "-q", "-E", "-s"],
    ["-I", "-S", "-OO", "-X", "utf8", "-b"],
])
def test_options_are_pythons(options):
    assert_same(*both(*options, "-c", FLAGS, "an", "argument"))


def test_version_and_a_bad_option_as_python():
    for option in ("-V", "-VV"):
        assert_same(*both(option))
    python, jawait = both("-Q")
    assert python.returncode == 2
    assert_same(python, jawait, replace=[(f"usage: {JAWAIT} ", f"usage: {PYTHON} ")])


@pytest.mark.parametrize("program", [
    "import sys; print('exit 3'); sys.exit(3)",
    "import sys; sys.exit('a message')",
    "def f():\n    raise ValueError('boom')\nf()",
    "import warnings; warnings.warn('careful')",
])
def test_exit_status_tracebacks_and_warnings_as_python(tmp_path, program):
    assert_same(*both("-c", program))
    assert_same(*both(script(tmp_path, program), "arg"))


def test_modules_stdin_and_interactive_mode_as_python(tmp_path):
    (tmp_path / "tool.py").write_text("import sys\nprint(__name__, sys.argv, sys.path[0])\n")
    python, jawait = both("-m", "tool", "x", cwd=tmp_path)
    assert python.stdout.startswith("__main__ [")
    assert_same(python, jawait)
    for args in ([], ["-"], ["-", "a"]):
        assert_same(*both(*args, input="import sys; print('read from stdin', sys.argv)\n"))
    # -i: the program, then the interactive interpreter, reading standard input
    assert_same(*both("-i", "-c", "x = 6", input="print(x * 7)\nraise KeyError('k')\n"))


def interactive_session(command):
    """The interactive interpreter on a terminal: an expression, Ctrl-C during a long statement and at
    the prompt, then exit(). Whether it showed each expected text, its exit status, and what it showed
    where an expected text did not come (for the assertion's message).

    CPython's basic REPL: 3.13's new one (PyREPL) redraws the line it edits, and on a busy machine it
    once showed no ">>> " within 30 s of a KeyboardInterrupt, until the next Ctrl-C (the plain python,
    in CI). Both commands run CPython's own REPL code either way; what jawait must match is the
    terminal's signals."""
    terminal, child_side = os.openpty()
    # setsid -c: a session of its own whose controlling terminal is this one, so Ctrl-C is a SIGINT.
    # (No fork here: this process is a JVM; subprocess starts the command without running Python in between.)
    process = subprocess.Popen(["setsid", "-c", PYTHON if command == "python" else JAWAIT, "-q"],
                               env=dict(ENVIRONMENT, PYTHON_BASIC_REPL="1"),
                               stdin=child_side, stdout=child_side, stderr=child_side)
    os.close(child_side)
    seen = []
    missed = []
    pending = [b""]

    def wait_for(text, seconds):
        """Whether ``text`` came within ``seconds``; what came up to it is taken."""
        deadline = time.monotonic() + seconds
        while text not in pending[0] and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.1)[0]:
                try:
                    pending[0] += os.read(terminal, 4096)
                except OSError:  # the command has ended
                    break
        found = pending[0].find(text)
        if found >= 0:
            pending[0] = pending[0][found + len(text):]
        return found >= 0

    def read_until(text, seconds=30):
        seen.append(wait_for(text, seconds))
        if not seen[-1]:
            missed.append(f"no {text!r} after {pending[0][-300:]!r}")

    def interrupt_at_prompt():
        """Ctrl-C at the prompt, again if nothing came within 10 s: CPython's REPL (python's as
        jawait's) can miss a SIGINT that lands after it printed its prompt and before it waits for
        input, until the next key; seen in CI on a busy machine."""
        for _ in range(3):
            os.write(terminal, b"\x03")
            if wait_for(b"KeyboardInterrupt", 10):
                seen.append(True)
                return
        seen.append(False)
        missed.append(f"no KeyboardInterrupt after 3 Ctrl-C at the prompt; it showed {pending[0][-300:]!r}")

    try:
        read_until(b">>> ")
        os.write(terminal, b"6 * 7\n")
        read_until(b"42")
        read_until(b">>> ")
        # It prints "zzz" (not in the echoed line) once it runs: Ctrl-C comes then, not after a guessed delay.
        os.write(terminal, b"import time; print('zz' + 'z', flush=True); time.sleep(60)\n")
        read_until(b"zzz")
        os.write(terminal, b"\x03")
        read_until(b"KeyboardInterrupt")  # well before the sleep would have ended
        read_until(b">>> ")
        interrupt_at_prompt()
        read_until(b">>> ")  # typed before the prompt, a line may go with the interrupted one
        os.write(terminal, b"exit()\n")
        try:
            status = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:  # what it showed last says where it stopped
            read_until(b"\0", seconds=1)
            status = f"still running after exit(); it showed last: {pending[0][-300:]!r}"
    finally:
        process.kill()
        process.wait()
        os.close(terminal)
    return seen, status, missed


def test_interactive_interpreter_on_a_terminal_as_python():
    *python, missed = interactive_session("python")
    assert python == [[True] * 8, 0], missed
    *jawait, missed = interactive_session("jawait")
    assert jawait == python, missed


# ---- signals ------------------------------------------------------------------------------------

def test_getsignal_and_restoring_each_signal_as_python(tmp_path):
    probe = script(tmp_path, """
        import signal
        for s in signal.Signals:
            handler = signal.getsignal(s)
            try:
                signal.signal(s, handler)
                restored = "restored"
            except Exception as e:
                restored = type(e).__name__
            print(s.name, repr(handler), restored)
    """)
    assert_same(*both(probe))


def test_a_handler_interrupts_sleep_and_waitid_on_the_main_thread(tmp_path):
    probe = script(tmp_path, """
        import os, signal, subprocess, threading, time

        def handler(signum, frame):
            print("handler on the main thread:", threading.current_thread() is threading.main_thread())
            raise InterruptedError("handler")

        signal.signal(signal.SIGALRM, handler)
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        try:
            time.sleep(20)
        except InterruptedError:
            print("sleep interrupted before it would have ended:", time.monotonic() - start < 20)

        child = subprocess.Popen(["sleep", "20"])
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        try:
            os.waitid(os.P_PID, child.pid, os.WEXITED)
        except InterruptedError:
            print("waitid interrupted before the child ended:", time.monotonic() - start < 20)
        child.kill()
        child.wait()

        calls = []
        signal.signal(signal.SIGALRM, lambda *args: calls.append(1))  # returns: PEP 475 retries the call
        child = subprocess.Popen(["sleep", "1"])
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        os.waitid(os.P_PID, child.pid, os.WEXITED)
        print("waitid retried after the handler ran:", calls == [1])
    """)
    python, jawait = both(probe)
    assert python.stdout.count("True") == 5, python
    assert_same(python, jawait)


def test_raise_signal_kill_and_loop_handlers_as_python(tmp_path):
    probe = script(tmp_path, """
        import asyncio, os, signal, subprocess, sys, threading

        try:
            signal.raise_signal(signal.SIGINT)
            print("raise_signal returned")
        except KeyboardInterrupt:
            print("KeyboardInterrupt from raise_signal")

        seen = []
        signal.signal(signal.SIGUSR1, lambda signum, frame: seen.append(signum))
        os.kill(os.getpid(), signal.SIGUSR1)
        print("os.kill ran the handler before returning:", seen == [signal.SIGUSR1])
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
        print("pthread_kill ran the handler before returning:", len(seen) == 2)

        def probe_main_thread():  # what trio does to find out whether it runs on the main thread
            try:
                signal.signal(signal.SIGINT, signal.getsignal(signal.SIGINT))
                return True
            except (TypeError, ValueError):
                return False
        other = []
        thread = threading.Thread(target=lambda: other.append(probe_main_thread()))
        thread.start()
        thread.join()
        print("main thread probe:", probe_main_thread(), other)

        async def main():
            loop = asyncio.get_running_loop()
            received = asyncio.Event()
            loop.add_signal_handler(signal.SIGUSR2, received.set)
            subprocess.run(["kill", "-USR2", str(os.getpid())], check=True)  # from another process
            await asyncio.wait_for(received.wait(), 60)
            loop.remove_signal_handler(signal.SIGUSR2)
            print("asyncio signal handler ran")
        asyncio.run(main())
        print("after asyncio.run:", signal.getsignal(signal.SIGUSR2), signal.getsignal(signal.SIGINT).__name__)

        import trio
        async def trio_main():
            with trio.open_signal_receiver(signal.SIGUSR2) as signals:
                await trio.to_thread.run_sync(subprocess.run, ["kill", "-USR2", str(os.getpid())])
                with trio.fail_after(60):
                    async for signum in signals:
                        print("trio signal receiver got", signal.Signals(signum).name)
                        return
        trio.run(trio_main)
    """)
    assert_same(*both(probe))


PROGRAMS_UNTIL_SIGNALLED = {
    "asyncio": """
        import asyncio, atexit
        atexit.register(lambda: print("atexit ran", flush=True))
        async def main():
            try:
                print("ready", flush=True)
                await asyncio.sleep(60)
            finally:
                print("finally ran", flush=True)
        asyncio.run(main())
    """,
    "trio": """
        import atexit, trio
        atexit.register(lambda: print("atexit ran", flush=True))
        async def main():
            try:
                print("ready", flush=True)
                await trio.sleep(60)
            finally:
                print("finally ran", flush=True)
        trio.run(main)
    """,
    "sleep": """
        import atexit, time
        atexit.register(lambda: print("atexit ran", flush=True))
        try:
            print("ready", flush=True)
            time.sleep(60)
        finally:
            print("finally ran", flush=True)
    """,
    "caught": """
        import time
        try:
            print("ready", flush=True)
            time.sleep(60)
        except KeyboardInterrupt:
            print("caught KeyboardInterrupt", flush=True)
    """,
}


def signalled(command, program, signum):
    """Runs ``program`` until it prints "ready", sends it ``signum``; its output, exit status and last error line."""
    process = subprocess.Popen([PYTHON if command == "python" else JAWAIT, program], env=ENVIRONMENT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout.readline() == "ready\n"
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
        process.wait()
    return stdout, process.returncode, (stderr.strip().splitlines() or [""])[-1]


@pytest.mark.parametrize("program", sorted(PROGRAMS_UNTIL_SIGNALLED))
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_ctrl_c_and_termination_as_python(tmp_path, program, signum):
    path = script(tmp_path, PROGRAMS_UNTIL_SIGNALLED[program])
    python = signalled("python", path, signum)
    assert signalled("jawait", path, signum) == python
    if signum == signal.SIGINT and program != "caught":
        assert python == ("finally ran\natexit ran\n", -signal.SIGINT, "KeyboardInterrupt")


# ---- faulthandler and pytest --------------------------------------------------------------------

def test_pytest_with_its_faulthandler_plugin_and_x_faulthandler(tmp_path):
    (tmp_path / "test_sample.py").write_text(textwrap.dedent("""
        import faulthandler, gc

        def test_faulthandler_is_on():
            assert faulthandler.is_enabled()

        def test_collects_garbage():
            for _ in range(200):
                gc.collect()
    """))
    python, jawait = both("-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path), cwd=tmp_path)
    assert python.returncode == 0, python
    assert jawait.returncode == 0, jawait
    assert "2 passed" in jawait.stdout
    assert_same(*both("-X", "faulthandler", "-c", "import faulthandler; print(faulthandler.is_enabled())"))


# ---- stack depth --------------------------------------------------------------------------------

RECURSION = """
import sys
def calls(n):
    return calls(n - 1) if n else 0
for depth in (sys.getrecursionlimit() - 20, 2 * sys.getrecursionlimit()):
    try:
        calls(depth)
        print(depth, "ok")
    except RecursionError as e:
        print(depth, "RecursionError:", e)
"""


def test_recursion_on_the_main_thread_as_python():
    assert_same(*both("-c", RECURSION))


def test_recursion_on_a_java_thread_without_xss_never_crashes():
    program = RECURSION.replace("import sys\n", "import sys, jawait_testmod\n") + textwrap.dedent("""
        def on_java_thread(n):
            try:
                sys.setrecursionlimit(n + 1000)
                return calls(n)
            except RecursionError as e:
                return "RecursionError: " + str(e)
        print(jawait_testmod.applyOnNewJavaThread(on_java_thread, 4000))
    """)
    jawait = run("jawait", "-c", program)
    assert jawait.returncode == 0, jawait
    assert jawait.stdout.splitlines()[-1] in ("0", "RecursionError: maximum recursion depth exceeded"), jawait
