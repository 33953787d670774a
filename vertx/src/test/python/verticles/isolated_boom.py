"""Fails at import after importing sqlite3 (hence _datetime), for jawait run --isolated: on CPython 3.13
two isolated instances that did so aborted the process as they ended, before the error was printed."""
import sqlite3  # noqa: F401

raise RuntimeError("boom")
