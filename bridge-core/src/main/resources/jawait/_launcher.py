"""What the ``python`` command does for a script or a module, for ``Py.runFile`` and ``Py.runModule``."""
from __future__ import annotations

import os
import runpy
import sys


def run_path(path: str, argv: list[str]) -> None:
    """Runs a script file as __main__ with sys.argv = [path, *argv], like ``python path argv``."""
    sys.argv = [path, *argv]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    runpy.run_path(path, run_name="__main__")


def run_module(name: str, argv: list[str]) -> None:
    """Runs a module as __main__, like ``python -m name argv``."""
    sys.argv = [name, *argv]
    sys.path.insert(0, os.getcwd())
    run_as_main = getattr(runpy, "_run_module_as_main", None)  # what ``python -m`` itself uses
    if run_as_main is not None:
        run_as_main(name)
    else:
        runpy.run_module(name, run_name="__main__", alter_sys=True)
