"""Python's ``logging`` records sent to the JVM's ``System.Logger`` (Python.builder().forwardLogging)."""
import logging

import _jawait


class JavaHandler(logging.Handler):
    """Hands each record to Java: the logger's name, the level number, the formatted message (with
    ``stack_info`` if asked for) and the exception, which Java turns into the Throwable it logs."""

    def emit(self, record):
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


def forward(level):
    """Sends records of ``level`` and above, from every logger that propagates to the root, to Java."""
    root = logging.getLogger()
    root.addHandler(JavaHandler())
    root.setLevel(level)
