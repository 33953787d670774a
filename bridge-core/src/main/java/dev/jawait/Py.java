package dev.jawait;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.ffi.Symbols;
import dev.jawait.internal.ffi.VersionSpecific;
import dev.jawait.internal.runtime.AttachScope;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import dev.jawait.internal.runtime.PyStrings;
import dev.jawait.internal.runtime.PythonCode;
import dev.jawait.internal.runtime.ThreadAttachment;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Proof that the current thread holds the GIL, handed out by {@link Python#attach}. Valid only on
 * the thread that received it and only until its scope ends; using it elsewhere or later throws
 * {@link IllegalStateException}.
 *
 * <p>Conversions between Java and Python ({@link #toPython}, {@link PyObject#toJava}):
 * <table>
 *   <caption>Value correspondence</caption>
 *   <tr><th>Java</th><th>Python</th></tr>
 *   <tr><td>null</td><td>None</td></tr>
 *   <tr><td>Boolean</td><td>bool</td></tr>
 *   <tr><td>Long, Integer, Short, Byte; BigInteger</td><td>int (Long back, or BigInteger beyond 64 bits)</td></tr>
 *   <tr><td>Double, Float</td><td>float (Double back)</td></tr>
 *   <tr><td>String, Character</td><td>str (a lone surrogate is an error either way)</td></tr>
 *   <tr><td>byte[]</td><td>bytes (bytearray also converts to byte[])</td></tr>
 *   <tr><td>List, other Collections, arrays</td><td>list (list and tuple convert to List)</td></tr>
 *   <tr><td>Map</td><td>dict</td></tr>
 *   <tr><td>Set</td><td>set (set and frozenset convert to Set)</td></tr>
 *   <tr><td>Vert.x Buffer</td><td>bytes</td></tr>
 *   <tr><td>Vert.x JsonObject, JsonArray</td><td>dict, list (converted to JsonObject, JsonArray when asked for:
 *       str keys, JSON values inside)</td></tr>
 *   <tr><td>PyObject</td><td>the object itself</td></tr>
 *   <tr><td>Throwable</td><td>a {@code jawait.JavaError}</td></tr>
 *   <tr><td>any other object</td><td>a {@code jawait.JavaObject} handle, which converts back to the same object</td></tr>
 *   <tr><td>(anything else from Python)</td><td>an owned PyObject</td></tr>
 * </table>
 */
public final class Py {
    private static final PyFunctionRef RUN_PATH = new PyFunctionRef("jawait._launcher", "run_path");
    private static final PyFunctionRef RUN_MODULE = new PyFunctionRef("jawait._launcher", "run_module");

    private final AttachScope scope;

    Py(AttachScope scope) {
        this.scope = scope;
    }

    private void check() {
        scope.check();
    }

    /** The interpreter this token is for: the main one, or an isolated one. */
    public Python python() {
        check();
        return Python.of(scope.interpreter());
    }

    /** {@code import name}, returning the module. */
    public PyObject importModule(String name) {
        check();
        return own(CPython.PyImport_ImportModule(name));
    }

    /** A built-in, such as {@code builtin("len")}. */
    public PyObject builtin(String name) {
        check();
        long builtins = CPython.PyEval_GetBuiltins(); // borrowed dict
        long value = VersionSpecific.dictItem(
                builtins, PyStrings.intern(name), ThreadAttachment.current().scratch()); // new
        if (value == 0) {
            if (CPython.PyErr_Occurred() != 0) {
                throw PythonErrors.fetch();
            }
            throw new IllegalArgumentException("no Python built-in named '" + name + "'");
        }
        return own(value);
    }

    /** Evaluates an expression in the namespace of {@code __main__}. */
    public PyObject eval(String expression) {
        check();
        return own(run(expression, "<eval>", true));
    }

    /** Executes statements in the namespace of {@code __main__}. */
    public void exec(String code) {
        check();
        CPython.Py_DecRef(run(code, "<exec>", false));
    }

    private static long run(String source, String filename, boolean expression) {
        long main = VersionSpecific.addModule("__main__"); // new
        if (main == 0) {
            throw PythonErrors.fetch();
        }
        long globals = CPython.PyObject_GetAttr(main, PyStrings.intern("__dict__"));
        CPython.Py_DecRef(main);
        ToPython.checked(globals);
        try {
            return PythonCode.run(source, filename, expression, globals);
        } finally {
            CPython.Py_DecRef(globals);
        }
    }

    /** Runs a script as {@code __main__} with {@code sys.argv = [script, *args]}, like {@code python script args}. */
    public void runFile(Path script, String... args) {
        check();
        try (PyObject argv = toPython(List.of(args));
                PyObject path = toPython(script.toString())) {
            CPython.Py_DecRef(PyCalls.call(RUN_PATH.get(), path.addressHere(), argv.addressHere()));
        }
    }

    /** Runs a module as {@code __main__}, like {@code python -m module args}. */
    public void runModule(String module, String... args) {
        check();
        try (PyObject argv = toPython(List.of(args));
                PyObject name = toPython(module)) {
            CPython.Py_DecRef(PyCalls.call(RUN_MODULE.get(), name.addressHere(), argv.addressHere()));
        }
    }

    /** The Python form of a Java value (see the table above). */
    public PyObject toPython(Object value) {
        check();
        return PyObject.steal(ToPython.convert(value));
    }

    /** {@code None}. */
    public PyObject none() {
        check();
        return PyObject.borrow(Symbols.NONE);
    }

    /** A tuple of the converted values. */
    public PyObject tuple(Object... items) {
        check();
        long tuple = ToPython.checked(CPython.PyTuple_New(items.length));
        try {
            for (int i = 0; i < items.length; i++) {
                CPython.PyTuple_SetItem(tuple, i, ToPython.convert(items[i]));
            }
        } catch (RuntimeException | Error e) {
            CPython.Py_DecRef(tuple);
            throw e;
        }
        return PyObject.steal(tuple);
    }

    /**
     * Runs {@code body} with the GIL released, so that other Python threads run meanwhile; the GIL
     * is taken back before returning. Inside, this token is unusable; {@link Python#attach} works.
     */
    public <T> T detach(Supplier<T> body) {
        check();
        ThreadAttachment.Suspended suspended = scope.owner().detach();
        try {
            return body.get();
        } finally {
            scope.owner().reattach(suspended);
        }
    }

    /** {@link #detach(Supplier)} for work without a result. */
    public void detach(Runnable body) {
        detach(() -> {
            body.run();
            return null;
        });
    }

    private static PyObject own(long newReference) {
        return PyObject.steal(ToPython.checked(newReference));
    }
}
