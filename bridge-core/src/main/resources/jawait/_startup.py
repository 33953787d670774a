"""The settings of Java's ``Python.builder()``, applied once at start-up before any other Python code runs."""
import os
import sys


def apply(python_path, working_directory, log_level):
    """``python_path``: entries for the front of ``sys.path``; ``working_directory``: a directory or
    None; ``log_level``: the level from which ``logging`` records go to Java, or None for none."""
    sys.path[0:0] = python_path
    if working_directory is not None:
        os.chdir(working_directory)
    if log_level is not None:
        from jawait import _logging

        _logging.forward(log_level)
