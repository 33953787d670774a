package dev.jawait.pytests;

import dev.jawait.Py;
import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import dev.jawait.export.PyParam;
import dev.jawait.export.PythonStubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The Java side of the pytest suites: {@code import jawait_testmod}. */
@PyModule(value = "jawait_testmod", doc = "Java functions exercised by jawait's pytest suites.")
public class TestModule implements ModuleProvider {
    /** A Java value type with no Python equivalent: crosses as a jawait.JavaObject. */
    public record Point(long x, long y) {}

    public enum Unit {
        METRE,
        SECOND
    }

    // ---- values --------------------------------------------------------------------------------

    @PyFunction(doc = "Returns its argument converted to Java and back.")
    public static Object echo(Object value) {
        return value;
    }

    @PyFunction(doc = "The Java class of the converted argument.")
    public static String javaType(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    @PyFunction
    public static long add(long a, @PyParam(defaultValue = "1") long b) {
        return a + b;
    }

    @PyFunction
    public static int addInts(int a, int b) {
        return a + b;
    }

    @PyFunction
    public static double scale(double value, @PyParam(defaultValue = "2.0") double factor) {
        return value * factor;
    }

    @PyFunction
    public static BigInteger twice(BigInteger n) {
        return n.shiftLeft(1);
    }

    @PyFunction
    public static boolean negate(boolean flag) {
        return !flag;
    }

    @PyFunction
    public static String join(List<String> parts, @PyParam(keywordOnly = true, defaultValue = "','") String sep) {
        return String.join(sep, parts);
    }

    @PyFunction
    public static long sumValues(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @PyFunction
    public static int length(byte[] data) {
        return data.length;
    }

    @PyFunction
    public static String upper(String text) {
        return text.toUpperCase();
    }

    @PyFunction
    public static String unitName(Unit unit) {
        return unit.name().toLowerCase();
    }

    @PyFunction
    public static Point point(long x, long y) {
        return new Point(x, y);
    }

    @PyFunction
    public static long pointX(Point p) {
        return p.x();
    }

    @PyFunction(doc = "A Java string holding a lone surrogate, which Python cannot receive.")
    public static String loneSurrogate() {
        return "bad\ud800";
    }

    // ---- callbacks and errors --------------------------------------------------------------------

    @PyFunction
    public static long apply(Function<Long, Long> f, long x) {
        return f.apply(x);
    }

    @PyFunction(releaseGil = true, doc = "Calls f on another Java thread (which attaches itself) and waits.")
    public static Object applyOnJavaThread(Function<Object, Object> f, Object x) throws Exception {
        return CompletableFuture.supplyAsync(() -> f.apply(x)).get(30, TimeUnit.SECONDS);
    }

    @PyFunction(
            releaseGil = true,
            doc = "Calls f on a new Java thread with the JVM's default stack size (no -Xss "
                    + "applies to it when the JVM has none) and waits.")
    public static Object applyOnNewJavaThread(Function<Object, Object> f, Object x) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(f.apply(x));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                },
                "new-java-thread");
        thread.start();
        return result.get(60, TimeUnit.SECONDS);
    }

    @PyFunction(doc = "Calls fn from inside py.detach, attached again: on a thread that Python made, too.")
    public static Object callInsideDetach(Py py, PyObject fn) {
        Python python = py.python();
        return py.detach(() -> python.attach(inner -> {
            try (PyObject result = fn.call()) {
                return result.as(Object.class);
            }
        }));
    }

    @PyFunction(doc = "This JVM's class path: a jawait command started with it sees the same Java modules.")
    public static String javaClassPath() {
        return System.getProperty("java.class.path");
    }

    @PyFunction(doc = "Calls a Python callable from Java and returns what it returned.")
    public static PyObject callPython(PyObject fn) {
        return fn.call();
    }

    @PyFunction(doc = "Throws new <javaClass>(message); the class needs a (String) constructor.")
    public static void throwJava(String javaClass, String message) throws Throwable {
        throw (Throwable) Class.forName(javaClass).getConstructor(String.class).newInstance(message);
    }

    @PyFunction(doc = "Throws an exception with a cause.")
    public static void throwWithCause() {
        throw new IllegalStateException("outer", new UncheckedIOException(new IOException("inner")));
    }

    @PyFunction(doc = "A Java exception object, not raised.")
    public static Throwable exceptionValue(String message) {
        return new IllegalArgumentException(message);
    }

    @PyFunction(doc = "Whether the argument is the same Java object as the last one stored with keep().")
    public static boolean isKept(Object value) {
        return value == kept;
    }

    private static Object kept;

    @PyFunction
    public static Object keep(Object value) {
        kept = value;
        return value;
    }

    // ---- threads and the GIL ---------------------------------------------------------------------

    @PyFunction
    public static String javaThreadName() {
        return Thread.currentThread().getName();
    }

    @PyFunction(doc = "Evaluates Python code through the injected GIL token.")
    public static Object evalWithToken(Py py, String expression) {
        try (PyObject result = py.eval(expression)) {
            return result.toJava();
        }
    }

    private static volatile boolean gateOpen;
    private static volatile CountDownLatch passed;

    @PyFunction(doc = "Passes the gate if a waiter holds it open; True if it did.")
    public static boolean passGate() {
        if (gateOpen) {
            passed.countDown();
            return true;
        }
        return false;
    }

    private static boolean waitAtGate(long millis) throws InterruptedException {
        passed = new CountDownLatch(1);
        gateOpen = true;
        try {
            return passed.await(millis, TimeUnit.MILLISECONDS);
        } finally {
            gateOpen = false;
        }
    }

    @PyFunction(releaseGil = true, doc = "Holds the gate open with the GIL released; True if a Python thread passed.")
    public static boolean gateReleased(long millis) throws InterruptedException {
        return waitAtGate(millis);
    }

    @PyFunction(doc = "Holds the gate open with the GIL held; True if a Python thread passed (it cannot).")
    public static boolean gateHolding(long millis) throws InterruptedException {
        return waitAtGate(millis);
    }

    // ---- type stubs ----------------------------------------------------------------------------

    @PyFunction(doc = "Writes the .pyi stubs of the Java modules importable here into directory; the files written.")
    public static List<String> writeStubs(String directory) {
        return PythonStubs.write(Path.of(directory), Python.get().modules()).stream()
                .map(Path::toString)
                .toList();
    }

    @PyFunction(doc = "A list of n PyObjects pointing at value, built in Java.")
    public static List<Object> repeat(Object value, int n) {
        List<Object> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(value);
        }
        return result;
    }
}
