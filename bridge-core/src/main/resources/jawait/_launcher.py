"""The ``jawait`` command: runs Python code in the JVM-hosted interpreter like ``python`` does."""
import os
import runpy
import sys

USAGE = """usage: jawait [java options] [-c cmd | -m mod | file | -] [arg] ...
       jawait [java options] COMMAND [arg] ...
  -c cmd   run the program passed as a string
  -m mod   run library module as a script
  file     run the program read from a script file
  -        read the program from standard input
  -V       print the Python version and exit
  COMMAND  a command of a Java module on the class path (listed under --help)
java options (before the above):
  --python EXE         the Python to embed (also: -Djawait.python, JAWAIT_PYTHON)
  --module-class NAME  make a Java module class importable (repeatable)
  --cp PATH            extra Java class path (the jawait script only)
  --version            print jawait's, Java's and Python's versions and exit
  --stubs DIR          write .pyi type stubs of the Java modules to DIR and exit
Java modules listed in META-INF/services/dev.jawait.export.ModuleProvider are importable too.
"""


def run_path(path, argv):
    """Runs a script file as __main__ with sys.argv = [path, *argv], like ``python path argv``."""
    sys.argv = [path, *argv]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    runpy.run_path(path, run_name="__main__")


def run_module(name, argv):
    """Runs a module as __main__, like ``python -m name argv``."""
    sys.argv = [name, *argv]
    sys.path.insert(0, os.getcwd())
    run_as_main = getattr(runpy, "_run_module_as_main", None)  # what ``python -m`` itself uses
    if run_as_main is not None:
        run_as_main(name)
    else:
        runpy.run_module(name, run_name="__main__", alter_sys=True)


def _run_source(source, filename, argv0, argv):
    sys.argv = [argv0, *argv]
    sys.path.insert(0, "")
    main = sys.modules["__main__"]
    exec(compile(source, filename, "exec"), main.__dict__)


def _interact():
    import code
    sys.argv = [""]
    sys.path.insert(0, "")
    code.interact(banner=f"Python {sys.version} on jawait (JVM-hosted)", local=sys.modules["__main__"].__dict__)


def _exit_status(exit):
    code = exit.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main(argv):
    """Runs one program as the ``python`` command would; returns the exit status."""
    try:
        if not argv:
            _interact()
        elif argv[0] == "-c" and len(argv) > 1:
            _run_source(argv[1], "<string>", "-c", argv[2:])
        elif argv[0] == "-m" and len(argv) > 1:
            run_module(argv[1], argv[2:])
        elif argv[0] == "-":
            _run_source(sys.stdin.read(), "<stdin>", "-", argv[1:])
        elif argv[0] == "-V":
            print(f"Python {sys.version.split()[0]}")
        elif argv[0] in ("-h", "--help"):
            print(USAGE, end="")
        elif argv[0].startswith("-"):
            print(f"jawait: unknown option {argv[0]}\n{USAGE}", end="", file=sys.stderr)
            return 2
        else:
            run_path(argv[0], argv[1:])
    except SystemExit as exit:
        return _exit_status(exit)
    except BaseException:
        sys.excepthook(*sys.exc_info())
        return 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    return 0
