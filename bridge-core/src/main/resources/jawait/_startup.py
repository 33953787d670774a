"""The settings of Java's ``Python.builder()``, applied once at start-up before any other Python code runs."""
import atexit
import os
import sys

import _jawait


def apply(python_path, working_directory, log_level, runs_program):
    """``python_path``: entries for the front of ``sys.path``; ``working_directory``: a directory or
    None; ``log_level``: the level from which ``logging`` records go to Java, or None for none;
    ``runs_program``: whether Python runs a program (``runMain``), whose end finalizes Python."""
    if runs_program:
        # Registered first, so it runs last: Java stops using Python before finalization starts.
        atexit.register(_jawait.before_finalization)
    sys.path[0:0] = python_path
    if working_directory is not None:
        os.chdir(working_directory)
    if log_level is not None:
        from jawait import _logging

        _logging.forward(log_level)
