package dev.jawait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jawait.export.ModuleDefinition;
import dev.jawait.testing.TestPython;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ErrorTest {
    /** Throws whatever the test hands it, from Java code called by Python. */
    static final ThreadLocal<Supplier<Throwable>> TO_THROW = new ThreadLocal<>();

    private static final ModuleDefinition MODULE = ModuleDefinition.builder("errortest")
            .function(
                    "fail",
                    f -> f.body(args -> {
                        throw ErrorTest.<RuntimeException>sneaky(TO_THROW.get().get());
                    }))
            .function(
                    "call",
                    f -> f.param("fn", PyObject.class).body(args -> {
                        try (PyObject fn = (PyObject) args.get("fn")) {
                            return fn.call();
                        }
                    }))
            .build();

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    private final Python python = TestPython.get();

    ErrorTest() {
        python.register(MODULE);
    }

    @Test
    void pythonExceptionsCarryTypeMessageAndTraceback() {
        PythonException e = assertThrows(
                PythonException.class,
                () -> python.run(py -> py.exec(String.join(
                        "\n",
                        "def inner():",
                        "    raise KeyError('missing')",
                        "def outer():",
                        "    inner()",
                        "outer()"))));
        assertEquals("KeyError", e.pythonType());
        assertEquals("builtins.KeyError", e.qualifiedType());
        assertEquals("'missing'", e.pythonMessage());
        assertEquals("KeyError: 'missing'", e.getMessage());
        assertTrue(e.isInstance("LookupError") && e.isInstance("builtins.Exception") && !e.isInstance("ValueError"));
        StackTraceElement[] trace = e.getStackTrace();
        assertEquals("inner", trace[0].getMethodName());
        assertEquals("<exec>", trace[0].getFileName());
        assertEquals(2, trace[0].getLineNumber());
        assertEquals("__main__", trace[0].getClassName());
        assertEquals("outer", trace[1].getMethodName());
        assertEquals(4, trace[1].getLineNumber());
        assertTrue(
                Arrays.stream(trace).anyMatch(t -> t.getClassName().equals(ErrorTest.class.getName())),
                "Java frames follow the Python ones");
    }

    @Test
    void causesAndContextsBecomeJavaCauses() {
        PythonException e = assertThrows(
                PythonException.class,
                () -> python.run(py -> py.exec(
                        "try:\n    1 / 0\nexcept ZeroDivisionError as z:\n    raise ValueError('bad') from z")));
        PythonException cause = assertInstanceOf(PythonException.class, e.getCause());
        assertEquals("ZeroDivisionError", cause.pythonType());
        PythonException implicit = assertThrows(
                PythonException.class,
                () -> python.run(py ->
                        py.exec("try:\n    {}['k']\nexcept KeyError:\n    raise RuntimeError('while handling')")));
        assertEquals("KeyError", ((PythonException) implicit.getCause()).pythonType());
        PythonException suppressed = assertThrows(
                PythonException.class,
                () -> python.run(py ->
                        py.exec("try:\n    {}['k']\nexcept KeyError:\n    raise RuntimeError('clean') from None")));
        assertEquals(null, suppressed.getCause());
    }

    /** Has errortest.fail() throw {@code thrown} into Python, then evaluates {@code check} on the caught error. */
    private String pythonSees(Throwable thrown, String check) {
        TO_THROW.set(() -> thrown);
        return python.attach(py -> runCheck(py, check));
    }

    private static String runCheck(Py py, String check) {
        py.exec(String.join(
                "\n",
                "import errortest, jawait",
                "try:",
                "    errortest.fail()",
                "except BaseException as caught:",
                "    _error = caught"));
        try (PyObject result = py.eval(check)) {
            return result.str();
        }
    }

    @Test
    void javaExceptionsBecomeJavaErrorsOfTheFittingBuiltin() {
        String[][] cases = {
            {"java.lang.IllegalArgumentException", "ValueError"},
            {"java.lang.NumberFormatException", "ValueError"},
            {"java.lang.ClassCastException", "TypeError"},
            {"java.util.concurrent.TimeoutException", "TimeoutError"},
            {"java.io.IOException", "OSError"},
            {"java.io.FileNotFoundException", "FileNotFoundError"},
            {"java.lang.UnsupportedOperationException", "NotImplementedError"},
            {"java.lang.IndexOutOfBoundsException", "IndexError"},
            {"java.lang.IllegalStateException", "RuntimeError"},
            {"java.lang.ArithmeticException", "ArithmeticError"},
        };
        for (String[] c : cases) {
            Throwable thrown;
            try {
                thrown = (Throwable)
                        Class.forName(c[0]).getConstructor(String.class).newInstance("boom");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            String seen = pythonSees(
                    thrown,
                    "(type(_error).__name__, isinstance(_error, " + c[1]
                            + "), isinstance(_error, jawait.JavaError), str(_error), _error.java_class)");
            assertEquals("('Java" + c[1] + "', True, True, '" + c[0] + ": boom', '" + c[0] + "')", seen, c[0]);
        }
        String plain = pythonSees(
                new RuntimeException("plain"), "(type(_error).__name__, isinstance(_error, ValueError), str(_error))");
        assertEquals("('JavaError', False, 'java.lang.RuntimeException: plain')", plain);
    }

    @Test
    void javaErrorsCarryTheJavaStackTraceAndCause() {
        IllegalStateException thrown = new IllegalStateException("outer", new IOException("disk"));
        String seen = pythonSees(
                thrown,
                "(type(_error.__cause__).__name__, str(_error.__cause__), "
                        + "'ErrorTest' in _error.java_stack_trace, _error.java_stack_trace.splitlines()[0])");
        assertEquals(
                "('JavaOSError', 'java.io.IOException: disk', True, " + "'java.lang.IllegalStateException: outer')",
                seen);
    }

    @Test
    void aJavaExceptionThroughPythonIsTheSameObjectAgain() {
        IllegalArgumentException thrown = new IllegalArgumentException("same");
        TO_THROW.set(() -> thrown);
        IllegalArgumentException back = assertThrows(
                IllegalArgumentException.class,
                () -> python.run(py -> py.exec("import errortest\ndef f():\n    errortest.fail()\nf()")));
        assertSame(thrown, back);
    }

    @Test
    void aCheckedJavaExceptionThroughPythonIsTheSameObjectAgain() {
        IOException thrown = new IOException("checked");
        TO_THROW.set(() -> thrown);
        Throwable back =
                assertThrows(Throwable.class, () -> python.run(py -> py.exec("import errortest\nerrortest.fail()")));
        assertSame(thrown, back);
        TimeoutException timeout = new TimeoutException("late");
        TO_THROW.set(() -> timeout);
        assertSame(
                timeout,
                assertThrows(Throwable.class, () -> python.run(py -> py.exec("import errortest\nerrortest.fail()"))));
    }

    @Test
    void aPythonExceptionThroughJavaIsTheSameObjectAgain() {
        String identical = python.attach(py -> {
            py.exec(String.join(
                    "\n",
                    "import errortest",
                    "original = LookupError('mine')",
                    "def raiser():",
                    "    raise original",
                    "try:",
                    "    errortest.call(raiser)",
                    "except LookupError as e:",
                    "    again = e"));
            return py.eval("again is original").str();
        });
        assertEquals("True", identical);
    }

    @Test
    void javaErrorsShowTheJavaTraceInTheirNotes() {
        String notes = python.attach(py -> {
            if (py.eval("__import__('sys').version_info >= (3, 11)").isTrue()) {
                TO_THROW.set(() -> new IllegalArgumentException("noted"));
                return runCheck(py, "_error.__notes__[0].splitlines()[0]");
            }
            return "Java stack trace:";
        });
        assertEquals("Java stack trace:", notes);
    }
}
