"""jawait's import hook, installed once by Java at start-up.

It imports jawait's own Python modules from the jars on the Java class path (so they need no
installation) and Java-defined modules from Java's module registry.
"""
from __future__ import annotations

import _frozen_importlib_external
import marshal
import sys
from _frozen_importlib import ModuleSpec  # importlib.machinery.ModuleSpec, without importing importlib and warnings

TYPE_CHECKING = False
if TYPE_CHECKING:  # not imported at run time: typing costs a start-up milliseconds
    from collections.abc import Callable, Sequence
    from importlib.machinery import ExtensionFileLoader
    from types import CodeType, ModuleType
    from typing import TypeVar

    from typing_extensions import ParamSpec  # typing's from 3.10; mypy has it for 3.9 too

    _P = ParamSpec("_P")
    _R = TypeVar("_R")

import _jawait

# Which Python compiled a kept module's code: code is read back only by the same build and bytecode.
_PYTHON = f"{sys.version} {_frozen_importlib_external.MAGIC_NUMBER.hex()}"

# The finder and loaders follow importlib's protocols without deriving from importlib.abc, whose
# import costs a start-up tens of milliseconds (it brings pathlib, tempfile and typing along).


class _ResourceLoader:
    """Loads a Python source shipped as a Java resource; tracebacks show its lines. The code is
    compiled once per Python and kept between runs, as the standard library's own modules come
    compiled (so even with sys.dont_write_bytecode), then loaded marshalled."""

    def __init__(self, resource: str, is_package: bool, data: bytes) -> None:
        self._resource = resource
        self._is_package = is_package
        self._data = data

    @staticmethod
    def create_module(spec: ModuleSpec) -> None:
        return None  # the default module

    def is_package(self, fullname: str) -> bool:
        return self._is_package

    def get_source(self, fullname: str) -> str:
        return self._data.decode("utf-8")

    def get_code(self, fullname: str) -> CodeType:
        compiled = _jawait.compiled(self._resource, self._data, _PYTHON)
        if compiled is not None:
            try:
                code: CodeType = marshal.loads(compiled)
            except (EOFError, ValueError, TypeError):
                pass  # not code this Python reads: compiled again below
            else:
                return code
        code = compile(self.get_source(fullname), self._resource, "exec", dont_inherit=True)
        _jawait.keep_compiled(self._resource, self._data, _PYTHON, marshal.dumps(code))
        return code

    def exec_module(self, module: ModuleType) -> None:
        exec(self.get_code(module.__name__), module.__dict__)


class _JavaModuleLoader:
    """Creates a module whose functions are Java methods."""

    @staticmethod
    def create_module(spec: ModuleSpec) -> ModuleType:
        module: ModuleType = _jawait.create_java_module(spec.name)
        return module

    @staticmethod
    def exec_module(module: ModuleType) -> None:
        pass


class JawaitFinder:
    """Finds ``jawait`` and its submodules in Java resources, and Java-defined modules."""

    @staticmethod
    def find_spec(fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname == "jawait" or fullname.startswith("jawait."):
            base = fullname.replace(".", "/")
            for resource, is_package in ((base + "/__init__.py", True), (base + ".py", False)):
                data = _jawait.resource(resource)
                if data is not None:
                    # The loaders follow importlib.abc.Loader's protocol without deriving from it (above).
                    return ModuleSpec(fullname, _ResourceLoader(resource, is_package, data),  # type: ignore[arg-type]
                                      origin=resource, is_package=is_package)
            return None
        kind = _jawait.java_module_kind(fullname)
        if kind is None:
            return None
        return ModuleSpec(fullname, _JavaModuleLoader, origin="java",  # type: ignore[arg-type]
                          is_package=kind == "package")


sys.meta_path.insert(0, JawaitFinder)

# threading records as the main thread whichever thread imports it first, and at finalization waits
# for that thread to end. Import it here, on the thread that also finalizes, before any Java
# thread can import it; otherwise Py_FinalizeEx would wait forever for a Java thread.
import threading  # noqa: E402,F401

# faulthandler's handlers for SIGSEGV, SIGBUS, SIGFPE and SIGILL would take over the JVM's own,
# which it relies on (implicit null checks, safepoints). enable() and register() keep working
# (SIGABRT, watchdog dumps, user signals) but leave those four with the JVM; a fault there gets the
# JVM's crash report (hs_err file) instead of a Python traceback.
import functools  # noqa: E402


def _keeping_jvm_fault_handlers(function: Callable[_P, _R]) -> Callable[_P, _R]:
    @functools.wraps(function)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        saved = _jawait.jvm_fault_handlers()
        try:
            return function(*args, **kwargs)
        finally:
            _jawait.restore_jvm_fault_handlers(saved)

    return call


try:
    import faulthandler  # noqa: E402
except ImportError:  # an isolated interpreter, which cannot load it (and so cannot take the signals either)
    has_faulthandler = False
else:
    has_faulthandler = True
if has_faulthandler:
    faulthandler.enable = _keeping_jvm_fault_handlers(faulthandler.enable)
    faulthandler.register = _keeping_jvm_fault_handlers(faulthandler.register)
    if faulthandler.is_enabled():  # PYTHONFAULTHANDLER or -X faulthandler, at start-up: before this hook
        faulthandler.disable()  # gives the JVM its handlers back
        faulthandler.enable()


# Python code on a Java thread may recurse only as deep as that thread's stack holds (RecursionBudget.java).
# Until 3.11 that budget counts against sys.getrecursionlimit(), so Java follows the limit's changes.
if sys.version_info < (3, 12):
    _set_recursion_limit = sys.setrecursionlimit

    @functools.wraps(_set_recursion_limit)
    def _setrecursionlimit(limit: int) -> None:
        if isinstance(limit, int):
            _jawait.recursion_limit_changing(limit)
        try:
            _set_recursion_limit(limit)
        finally:
            _jawait.recursion_limit_changed()

    sys.setrecursionlimit = _setrecursionlimit


# What to do instead, said by the note below; whoever makes an isolated interpreter may set a better
# one (jawait run --isolated says to drop that option).
_jawait.isolated_remedy = ("import it in the main interpreter (Python.get()) rather than in an interpreter made by "
                           "newIsolatedInterpreter()")


def _naming_the_main_interpreter(
        create_module: Callable[[ExtensionFileLoader, ModuleSpec], ModuleType]
) -> Callable[[ExtensionFileLoader, ModuleSpec], ModuleType]:
    """Wraps ExtensionFileLoader.create_module: CPython's ImportError for an extension module that
    cannot load in an isolated interpreter gets a note saying where it can run."""

    @functools.wraps(create_module)
    def create(self: ExtensionFileLoader, spec: ModuleSpec) -> ModuleType:
        try:
            return create_module(self, spec)
        except ImportError as error:
            text = str(error)
            # CPython's refusal of a single-phase module, and PyO3's own (Rust extensions such as pydantic-core).
            # (Isolated interpreters need 3.12+, which has add_note: the check is for 3.9's type checker.)
            if sys.version_info >= (3, 11) and (
                    "does not support loading in subinterpreters" in text or "support subinterpreters" in text):
                error.add_note(
                    f"jawait: the extension module {spec.name} cannot load in an isolated interpreter (it uses "
                    "single-phase initialization, as PyO3/Rust extensions such as pydantic-core and orjson do); "
                    f"the main interpreter can run it: {_jawait.isolated_remedy}")
            raise

    return create


if _jawait.isolated:
    from importlib.machinery import ExtensionFileLoader  # noqa: E402

    ExtensionFileLoader.create_module = _naming_the_main_interpreter(  # type: ignore[method-assign,assignment]
        ExtensionFileLoader.create_module)
