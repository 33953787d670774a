"""Python's ``logging`` records sent to the JVM's ``System.Logger`` (Python.builder().forwardLogging)."""
from __future__ import annotations

import contextlib
import functools
import logging
from typing import Any

import _jawait


class JavaHandler(logging.Handler):
    """Hands each record to Java: the logger's name, the level number, the formatted message (with
    ``stack_info`` if asked for) and the exception, which Java turns into the Throwable it logs."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.stack_info:
                message = f"{message}\n{record.stack_info}"
            error = record.exc_info[1] if record.exc_info else None
            _jawait.log(record.name, record.levelno, message, error)
        except RecursionError:  # as logging's own handlers do
            raise
        except Exception:
            self.handleError(record)


def forward(level: int) -> None:
    """Sends records of ``level`` and above, from every logger that propagates to the root, to Java.

    Python's own configuration still works as under ``python``: ``logging.basicConfig`` configures
    the root logger as if the Java handler were not there (it would otherwise do nothing, the root
    having a handler), and keeps that handler, so records go both where it says and to Java."""
    root = logging.getLogger()
    handler = JavaHandler()
    root.addHandler(handler)
    root.setLevel(level)
    basic_config = logging.basicConfig

    @functools.wraps(basic_config)
    def basicConfig(**kwargs: Any) -> None:
        with logging._lock if hasattr(logging, "_lock") else contextlib.nullcontext():
            kept = handler in root.handlers
            if kept:
                root.removeHandler(handler)
            try:
                basic_config(**kwargs)
            finally:
                if kept:
                    root.addHandler(handler)

    logging.basicConfig = basicConfig
