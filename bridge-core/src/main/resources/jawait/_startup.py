"""The settings of Java's ``Python.builder()``, applied once at start-up before any other Python code runs."""
from __future__ import annotations

import atexit
import os
import sys

import _jawait

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType


def _explain_missing_modules() -> None:
    """A program that ends by a ModuleNotFoundError says which Python lacks the module, and how to
    install it (jawait._errors.explain_missing_module), under the traceback."""
    shown_by_python = sys.version_info >= (3, 11)  # its traceback prints notes
    python_hook = sys.excepthook

    def excepthook(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
        if isinstance(error, ModuleNotFoundError):
            from jawait._errors import explain_missing_module

            explain_missing_module(error)
        python_hook(kind, error, traceback)
        if not shown_by_python:
            for note in getattr(error, "__notes__", None) or ():
                if isinstance(note, str) and note.startswith("jawait: "):
                    print(note, file=sys.stderr)

    sys.excepthook = excepthook


def apply(python_path: list[str], working_directory: str | None, log_level: int | None, runs_program: bool) -> None:
    """``python_path``: entries for the front of ``sys.path``; ``working_directory``: a directory or
    None; ``log_level``: the level from which ``logging`` records go to Java, or None for none;
    ``runs_program``: whether Python runs a program (``runMain``), whose end finalizes Python."""
    if runs_program:
        # Registered first, so it runs last: Java stops using Python before finalization starts.
        atexit.register(_jawait.before_finalization)
        _explain_missing_modules()
    sys.path[0:0] = python_path
    if working_directory is not None:
        os.chdir(working_directory)
    if log_level is not None:
        from jawait import _logging

        _logging.forward(log_level)
