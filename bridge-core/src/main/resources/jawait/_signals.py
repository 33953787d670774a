"""Python's signal handling inside the JVM, as the python command has it.

The JVM keeps the C-level handler of each signal that Python code handles and passes the signal on
to Python's main thread, interrupting a blocking call there as the python command would (see
SignalForwarding.java). ``install()`` makes the ``signal`` module arrange that:

- ``signal.signal`` has the JVM take the signal and pass it on to a Python handler; SIG_DFL gives
  back the JVM's own handler where the JVM held the signal when Python started (that is its default
  here). A handler for SIGSEGV, SIGBUS, SIGFPE or SIGILL, which the JVM needs, or for the signal
  that wakes Python's main thread is refused with a ValueError (SIG_DFL leaves them as they are).
- ``signal.getsignal`` never returns None: a signal whose handler the JVM holds reports SIG_DFL.
- ``signal.raise_signal``, and ``os.kill`` of this process or ``signal.pthread_kill`` of the main
  thread from the main thread, run a Python handler before they return, as a signal delivered to the
  calling thread does in the python command.
"""
from __future__ import annotations

import _thread
import os
import signal as _signal

import _jawait

_python_signal = _signal.signal
_python_getsignal = _signal.getsignal
_python_raise_signal = _signal.raise_signal
_python_kill = os.kill
_python_pthread_kill = _signal.pthread_kill
TYPE_CHECKING = False
if TYPE_CHECKING:
    from signal import _HANDLER, _SIGNUM

_main_thread: int | None = None
_wake_signal = 0
_valid: set[_signal.Signals] = set()
_reserved: dict[int, str] = {}


def _is_handler(handler: object, which: int) -> bool:
    return isinstance(handler, int) and handler == which


def getsignal(signalnum: _SIGNUM) -> _HANDLER:
    handler = _python_getsignal(signalnum)
    return _signal.SIG_DFL if handler is None else handler


def signal(signalnum: _SIGNUM, handler: _HANDLER) -> _HANDLER:
    default = _is_handler(handler, _signal.SIG_DFL)
    on_main_thread = _thread.get_ident() == _main_thread
    why = _reserved.get(signalnum)
    if default and on_main_thread and (why is not None or _jawait.signal_default_is_jvm(signalnum)):
        if _is_handler(getsignal(signalnum), _signal.SIG_DFL):
            return _signal.SIG_DFL  # the JVM's (or jawait's) handler, this signal's default, is in place
    if why is not None:
        raise ValueError(f"signal {_describe(signalnum)} {why}")
    callable_handler = callable(handler)
    took = (on_main_thread and signalnum in _valid
            and (callable_handler or default or _is_handler(handler, _signal.SIG_IGN))
            and _jawait.signal_take(signalnum))
    previous = _python_signal(signalnum, handler)  # raises as in the python command (thread, number, handler)
    if took:
        _jawait.signal_python_handles(signalnum, callable_handler, default)
    return _signal.SIG_DFL if previous is None else previous


def _describe(signalnum: int) -> str:
    try:
        return _signal.Signals(signalnum).name
    except ValueError:
        return str(signalnum)


def raise_signal(signalnum: _SIGNUM) -> None:
    if _jawait.signal_forwarded(signalnum):
        # The JVM would pass the signal on asynchronously; the python command runs the handler now.
        _jawait.signal_trip(signalnum)
        _python_raise_signal(_wake_signal)  # a no-op signal, after which Python runs pending handlers
    else:
        _python_raise_signal(signalnum)


def kill(pid: int, signalnum: int) -> None:
    if pid == os.getpid() and _thread.get_ident() == _main_thread and _jawait.signal_forwarded(signalnum):
        raise_signal(signalnum)
    else:
        _python_kill(pid, signalnum)


def pthread_kill(thread_id: int, signalnum: int) -> None:
    if thread_id == _main_thread and _thread.get_ident() == _main_thread and _jawait.signal_forwarded(signalnum):
        raise_signal(signalnum)
    else:
        _python_pthread_kill(thread_id, signalnum)


for _function, _original in ((getsignal, _python_getsignal), (signal, _python_signal),
                             (raise_signal, _python_raise_signal), (kill, _python_kill),
                             (pthread_kill, _python_pthread_kill)):
    _function.__doc__ = _original.__doc__


def install() -> None:
    """Called once by jawait on Python's main thread, before any program runs."""
    global _main_thread, _wake_signal, _valid
    _main_thread = _thread.get_ident()
    _wake_signal = _jawait.wake_signal()
    _valid = _signal.valid_signals()
    for name in ("SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL"):
        _reserved[getattr(_signal, name)] = ("is the JVM's: it relies on it (null checks, safepoints), so Python "
                                             "code cannot handle or ignore it in jawait")
    _reserved[_wake_signal] = ("is jawait's: it interrupts Python's main thread with it, so Python code cannot "
                               "handle or ignore it")
    _signal.signal = signal
    _signal.getsignal = getsignal
    _signal.raise_signal = raise_signal
    _signal.pthread_kill = pthread_kill
    os.kill = kill
