package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.export.ModuleDefinition;
import java.util.function.Function;

/**
 * Crossing costs: Java calling Python and Python calling Java, against pure-Python calls, against
 * JNA's bare crossings of the same shape (the floor that jawait adds to), and against Jep when the
 * embedded Python has it ({@link JepReference}).
 */
final class CallBenchmarks {
    private CallBenchmarks() {}

    static final ModuleDefinition MODULE = ModuleDefinition.builder("jawait_bench_calls")
            .function("noarg", f -> f.body(args -> null))
            .function("int_arg", f -> f.param("value", long.class).body(args -> args.getLong("value") + 1))
            .build();

    private static final int OPS = 1_000_000;

    static void run(Python python, Measure.Plan plan, Report report) {
        python.register(MODULE);
        int ops = plan.ops(OPS);
        python.run(py -> py.exec(String.join(
                "\n",
                "import time, jawait_bench_calls",
                "def noop():",
                "    pass",
                "def timed_noarg(f, n):",
                "    start = time.perf_counter_ns()",
                "    for _ in range(n):",
                "        f()",
                "    return (time.perf_counter_ns() - start) / n",
                "def timed_one(f, n, x):",
                "    start = time.perf_counter_ns()",
                "    for _ in range(n):",
                "        f(x)",
                "    return (time.perf_counter_ns() - start) / n")));

        Function<String, Double> timed = call -> Measure.python(python, plan, String.format(call, ops));
        report.add("baseline.python_noop_call_ns", timed.apply("timed_noarg(noop, %d)"));
        report.add("baseline.python_len_call_ns", timed.apply("timed_one(len, %d, 'abc')"));
        JnaFloors.bind(python.libpython());
        python.run(py -> JnaFloors.installBareCallback());
        report.add("floor.jna.callback_ns", timed.apply("timed_noarg(bare_callback, %d)"));
        report.add(
                "call.python_to_java.noarg_ns",
                timed.apply("timed_noarg(jawait_bench_calls.noarg, %d)"),
                "baseline.python_noop_call_ns",
                "floor.jna.callback_ns",
                "reference.jep.python_to_java.noarg_ns");
        report.add(
                "call.python_to_java.int_arg_ns",
                timed.apply("timed_one(jawait_bench_calls.int_arg, %d, 12345)"),
                "baseline.python_len_call_ns");

        long[] sink = new long[1];
        report.add(
                "floor.jna.downcall_ns",
                Measure.median(
                        plan,
                        () -> python.attach(py -> Measure.javaLoop(
                                ops, () -> sink[0] += JnaFloors.PyType_GetFlags(JnaFloors.longType())))));
        PyObject noop = python.attach(py -> py.eval("noop"));
        report.add(
                "call.java_to_python.gil_held_ns",
                Measure.median(
                        plan,
                        () -> python.attach(
                                py -> Measure.javaLoop(ops, () -> noop.call().close()))),
                "baseline.python_noop_call_ns",
                "floor.jna.downcall_ns",
                "reference.jep.java_to_python.gil_held_ns");
        report.add(
                "call.java_to_python.call_void_ns",
                Measure.median(plan, () -> python.attach(py -> Measure.javaLoop(ops, () -> noop.callVoid()))),
                "baseline.python_noop_call_ns",
                "floor.jna.downcall_ns");
        report.add(
                "call.java_to_python.attach_ns",
                Measure.median(
                        plan,
                        () -> Measure.javaLoop(
                                ops, () -> python.run(py -> noop.call().close()))),
                "baseline.python_noop_call_ns");
        if (Measure
                .virtualThreads()) { // JDK 21+: the same attach from a virtual thread, pinned to its carrier meanwhile
            report.add(
                    "call.java_to_python.attach_virtual_thread_ns",
                    Measure.median(
                            plan,
                            () -> Measure.onVirtualThread(() -> Measure.javaLoop(
                                    ops, () -> python.run(py -> noop.call().close())))),
                    "call.java_to_python.attach_ns");
        }
        python.run(py -> noop.close());
    }
}
