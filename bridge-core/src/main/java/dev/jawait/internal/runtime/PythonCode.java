package dev.jawait.internal.runtime;

import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;

/** Compiling and running Python source given as Java text. The caller holds the GIL. */
public final class PythonCode {
    private PythonCode() {}

    private static final PyFunctionRef COMPILE = new PyFunctionRef("builtins", "compile");

    /**
     * Compiles {@code source} as an expression ({@code eval} mode) or statements ({@code exec}
     * mode) and runs it in {@code globals}. Returns a new reference: the value, or None.
     */
    public static long run(String source, String filename, boolean expression, long globals) {
        long[] args = new long[3];
        long code = 0;
        try {
            args[0] = ToPython.string(source);
            args[1] = ToPython.string(filename);
            args[2] = ToPython.string(expression ? "eval" : "exec");
            code = PyCalls.call(COMPILE.get(), args);
            return ToPython.checked(CPython.PyEval_EvalCode(code, globals, globals));
        } finally {
            for (long o : args) {
                if (o != 0) {
                    CPython.Py_DecRef(o);
                }
            }
            if (code != 0) {
                CPython.Py_DecRef(code);
            }
        }
    }
}
