package dev.jawait.pytests;

import dev.jawait.PyObject;
import dev.jawait.Python;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs pytest inside an isolated interpreter (CPython 3.12+), to show that everything the suites
 * test works there too; prints why it skips on older Pythons. Arguments are pytest's.
 *
 * <pre>{@code java -cp ... dev.jawait.pytests.IsolatedPytest tests}</pre>
 *
 * The interpreter cannot load faulthandler (a single-phase-init module), so its pytest plugin is
 * off; so is pytest-trio's where trio cannot be imported (3.12, whose isolated interpreters cannot
 * load ctypes), and the suites skip trio's tests.
 */
public final class IsolatedPytest {
    private IsolatedPytest() {}

    public static void main(String[] args) {
        int exitCode;
        try (Python python = Python.builder().start()) {
            if (!python.version().startsWith("3.")
                    || Integer.parseInt(python.version().split("\\.")[1]) < 12) {
                System.out.println("isolated-interpreter pytest run skipped: Python " + python.version()
                        + " has no isolated interpreters (CPython 3.12+)");
                System.exit(0);
            }
            List<String> pytestArgs = new ArrayList<>(List.of("-p", "no:faulthandler"));
            pytestArgs.addAll(List.of(args));
            try (Python isolated = python.newIsolatedInterpreter()) {
                System.out.println("== pytest in the isolated interpreter " + isolated.name());
                String trioMissing = isolated.attach(py -> {
                    py.exec("try:\n    import trio\n    _trio_missing = None\n"
                            + "except ImportError as error:\n    _trio_missing = str(error).splitlines()[0]\n");
                    PyObject missing = py.eval("_trio_missing");
                    return missing.isNone() ? null : missing.asString();
                });
                if (trioMissing != null) { // CPython 3.12: trio needs ctypes, which isolated interpreters cannot load
                    System.out.println("trio cannot be imported here, so its tests skip: " + trioMissing);
                    pytestArgs.addAll(List.of("-p", "no:trio"));
                }
                exitCode = isolated.attach(
                        py -> (int) py.importModule("pytest").getAttr("main").callAsLong(pytestArgs));
            }
        }
        System.exit(exitCode);
    }
}
