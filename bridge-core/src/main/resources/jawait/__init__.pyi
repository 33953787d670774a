"""jawait, Python side: what Java-defined modules hand to Python (stubs of jawait/__init__.py)."""

class JavaObject:
    """A Java object passed to Python. Opaque: pass it back to Java, where it is the same object."""

class JavaError(Exception):
    """A Java exception raised in Python; raised back into Java, it is the original exception."""

    java_class: str
    java_stack_trace: str
    java_exception: JavaObject

__all__ = ["JavaError", "JavaObject"]
