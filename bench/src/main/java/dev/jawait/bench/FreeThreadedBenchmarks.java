package dev.jawait.bench;

import dev.jawait.Python;
import dev.jawait.async.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Free-threaded CPython (3.13t): several event loops of the main interpreter run their Python at
 * once, native packages included.
 * <ul>
 *   <li>{@code freethreaded.cpu_bound.speedup_2}: the interpreters group's CPU-bound handler behind
 *       2 asyncio loops of the main interpreter, each on its own Java thread, against 1 loop
 *       (requests per second, 2 client threads either way);</li>
 *   <li>{@code freethreaded.pydantic.speedup_2}: the same with each body validated by pydantic
 *       (pydantic-core ships free-threaded wheels); skipped if this Python cannot import it;</li>
 *   <li>{@code freethreaded.single_thread_ratio}: one loop's requests per second on this Python
 *       against the same on the GIL build of its version, run in a child JVM on the Python that
 *       {@code JAWAIT_BENCH_GIL_PYTHON} names (skipped if unset).</li>
 * </ul>
 * On a Python with a GIL the group says why it does not run.
 */
final class FreeThreadedBenchmarks {
    private FreeThreadedBenchmarks() {}

    private static final String PLAIN = "jawait_bench_freethreaded_py.handle";
    private static final String VALIDATED = "jawait_bench_freethreaded_py.handle_validated";

    static void run(Python python, Measure.Plan plan, Report report) throws Exception {
        if (!freeThreaded(python)) {
            System.out.println("freethreaded: skipped, " + python.version() + " has a GIL; run scripts/bench with "
                    + "JAWAIT_PYTHON set to a free-threaded build (scripts/build-python)");
            return;
        }
        load(python);
        double seconds = seconds(plan);
        byte[] body = body(python);
        try (EventLoop first = EventLoop.start(python, "asyncio");
                EventLoop second = EventLoop.start(python, "asyncio")) {
            double one = Measure.median(
                    plan, () -> InterpreterBenchmarks.requestsPerSecond(List.of(first), PLAIN, body, seconds));
            double two = Measure.median(
                    plan, () -> InterpreterBenchmarks.requestsPerSecond(List.of(first, second), PLAIN, body, seconds));
            report.add("freethreaded.cpu_bound.one_loop_per_s", one);
            report.add("freethreaded.cpu_bound.two_loops_per_s", two, "freethreaded.cpu_bound.one_loop_per_s");
            report.add("freethreaded.cpu_bound.speedup_2", two / one);
            if (python.attach(py -> py.eval("__import__('jawait_bench_freethreaded_py').has_pydantic()")
                    .isTrue())) {
                double oneValidated = Measure.median(
                        plan, () -> InterpreterBenchmarks.requestsPerSecond(List.of(first), VALIDATED, body, seconds));
                double twoValidated = Measure.median(
                        plan,
                        () -> InterpreterBenchmarks.requestsPerSecond(
                                List.of(first, second), VALIDATED, body, seconds));
                report.add("freethreaded.pydantic.one_loop_per_s", oneValidated);
                report.add(
                        "freethreaded.pydantic.two_loops_per_s", twoValidated, "freethreaded.pydantic.one_loop_per_s");
                report.add("freethreaded.pydantic.speedup_2", twoValidated / oneValidated);
            } else {
                System.out.println("freethreaded.pydantic: skipped, " + python.executable() + " cannot import "
                        + "pydantic; scripts/venv installs it in the venv of a free-threaded Python "
                        + "(requirements-freethreaded.txt), and scripts/bench makes that venv when JAWAIT_PYTHON "
                        + "names the free-threaded Python itself");
            }
            String gilPython = System.getenv("JAWAIT_BENCH_GIL_PYTHON");
            if (gilPython == null || gilPython.isBlank()) {
                System.out.println("freethreaded.single_thread_ratio: skipped, set JAWAIT_BENCH_GIL_PYTHON to the GIL "
                        + "build of " + python.version() + " (scripts/build-python --gil)");
            } else {
                double gil = oneLoopInChild(gilPython, plan);
                report.add("baseline.gil_build.one_loop_per_s", gil);
                report.add("freethreaded.single_thread_ratio", one / gil);
            }
        }
    }

    private static boolean freeThreaded(Python python) {
        return python.attach(py -> py.eval("bool(__import__('sysconfig').get_config_var('Py_GIL_DISABLED'))")
                .isTrue());
    }

    private static void load(Python python) {
        PythonSources.load(python, "jawait_bench/interpreters.py", "jawait_bench_interpreters_py")
                .close();
        PythonSources.load(python, "jawait_bench/freethreaded.py", "jawait_bench_freethreaded_py")
                .close();
    }

    private static double seconds(Measure.Plan plan) {
        return plan.scale() < 1 ? 0.3 : 2.0;
    }

    private static byte[] body(Python python) {
        return python.attach(py -> (byte[]) py.eval("__import__('jawait_bench_interpreters_py').request_body()")
                .as(byte[].class));
    }

    /** One loop's requests per second on {@code gilPython}, measured by {@link OneLoop} in a child JVM. */
    private static double oneLoopInChild(String gilPython, Measure.Plan plan) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Djawait.python=" + gilPython);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(OneLoop.class.getName());
        command.add(String.valueOf(plan.warmups()));
        command.add(String.valueOf(plan.rounds()));
        command.add(String.valueOf(plan.scale()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (child.waitFor() != 0 || !out.contains("per_s=")) {
            throw new IllegalStateException("the one-loop run on " + gilPython + " failed:\n" + out);
        }
        return Double.parseDouble(out.substring(out.lastIndexOf("per_s=") + 6).trim());
    }

    /** The child: one loop's requests per second on the Python that {@code jawait.python} names. */
    static final class OneLoop {
        public static void main(String[] args) throws Exception {
            Measure.Plan plan =
                    new Measure.Plan(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Double.parseDouble(args[2]));
            try (Python python = Python.builder().discoverModules(false).start()) {
                load(python);
                byte[] body = body(python);
                try (EventLoop loop = EventLoop.start(python, "asyncio")) {
                    double perSecond = Measure.median(
                            plan,
                            () -> InterpreterBenchmarks.requestsPerSecond(List.of(loop), PLAIN, body, seconds(plan)));
                    System.out.println("per_s=" + perSecond);
                }
            }
        }
    }
}
