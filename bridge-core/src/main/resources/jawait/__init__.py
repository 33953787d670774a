"""jawait, Python side: Java futures and streams as coroutines and async generators.

Java-defined modules import like any other (``import inventory``). Values cross as described in
jawait's Java documentation; Java objects without a Python equivalent arrive as
:class:`JavaObject` handles, and Java exceptions as :class:`JavaError` subclasses that also derive
from the fitting built-in exception (``ValueError`` for ``IllegalArgumentException``, ...).
"""
from _jawait import JavaObject
from jawait._errors import JavaError

__all__ = ["JavaError", "JavaObject"]
