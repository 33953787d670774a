package dev.jawait.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The call figures of Jep (JNI-based CPython embedding, {@code pip install jep}) for comparison,
 * measured in a child JVM of the same benchmark run: Jep and jawait each initialize CPython, which
 * one process can do once. Optional: skipped with a message when the embedded Python has no jep.
 *
 * <p>The child runs {@link #main}, which reaches Jep by reflection (its jar comes with the pip
 * package, matched to its native library) and prints {@code name=value} lines.
 */
final class JepReference {
    private JepReference() {}

    /** Called from Python through Jep: the Java side of {@code reference.jep.python_to_java.noarg_ns}. */
    public static void noarg() {}

    static void run(Measure.Plan plan, Report report, Path python) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(
                        python.toString(),
                        "-c",
                        // jep imports only inside Jep's own embedding: find its package without importing it.
                        "import importlib.util, sys, sysconfig; spec = importlib.util.find_spec('jep'); "
                                + "print(spec.submodule_search_locations[0]); print(sys.base_prefix); "
                                + "print(sysconfig.get_paths()['purelib']); print(sysconfig.get_config_var('LIBDIR'))")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        if (probe.waitFor() != 0 || lines.size() < 4) {
            System.out.println("Jep reference skipped: the embedded Python has no jep (pip install jep to compare)");
            return;
        }
        Path jepDir = Path.of(lines.get(0));
        String jar = Files.list(jepDir)
                .map(Path::toString)
                .filter(p -> p.endsWith(".jar"))
                .findFirst()
                .orElseThrow(() -> new IOException("no jep jar in " + jepDir));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path") + ":" + jar,
                JepReference.class.getName(),
                jepDir.resolve("libjep.so").toString(),
                String.valueOf(plan.ops(1_000_000))));
        ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true);
        child.environment().put("PYTHONHOME", lines.get(1));
        child.environment().put("PYTHONPATH", lines.get(2));
        child.environment().merge("LD_LIBRARY_PATH", lines.get(3), (a, b) -> b + ":" + a);
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            System.out.println("Jep reference failed:\n" + output);
            return;
        }
        for (String line : output.lines().toList()) {
            String[] figure = line.split("=", 2);
            if (figure.length == 2 && figure[0].startsWith("reference.jep.")) {
                report.add(figure[0], Double.parseDouble(figure[1]));
            }
        }
    }

    /** In the child JVM: {@code args} are libjep's path and the operations per round. */
    public static void main(String[] args) throws Throwable {
        int ops = Integer.parseInt(args[1]);
        Class.forName("jep.MainInterpreter")
                .getMethod("setJepLibraryPath", String.class)
                .invoke(null, args[0]);
        Class<?> shared = Class.forName("jep.SharedInterpreter");
        Object interpreter = shared.getConstructor().newInstance();
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle exec = lookup.findVirtual(shared, "exec", MethodType.methodType(void.class, String.class));
        MethodHandle invoke =
                lookup.findVirtual(shared, "invoke", MethodType.methodType(Object.class, String.class, Object[].class));
        MethodHandle getValue =
                lookup.findVirtual(shared, "getValue", MethodType.methodType(Object.class, String.class, Class.class));
        exec.invoke(
                interpreter,
                String.join(
                        "\n",
                        "import time, jep",
                        "target = jep.findClass('" + JepReference.class.getName() + "')",
                        "def noop():",
                        "    pass",
                        "def timed(f, n):",
                        "    start = time.perf_counter_ns()",
                        "    for _ in range(n):",
                        "        f()",
                        "    return (time.perf_counter_ns() - start) / n"));
        double[] pythonToJava = new double[5];
        double[] javaToPython = new double[5];
        Object[] none = new Object[0];
        for (int round = 0; round < 7; round++) { // the first two warm up
            exec.invoke(interpreter, "figure = timed(target.noarg, " + ops + ")");
            double p2j = ((Number) getValue.invoke(interpreter, "figure", Double.class)).doubleValue();
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                Object ignored = invoke.invoke(interpreter, "noop", none);
            }
            double j2p = (System.nanoTime() - start) / (double) ops;
            if (round >= 2) {
                pythonToJava[round - 2] = p2j;
                javaToPython[round - 2] = j2p;
            }
        }
        Arrays.sort(pythonToJava);
        Arrays.sort(javaToPython);
        System.out.printf(Locale.ROOT, "reference.jep.python_to_java.noarg_ns=%.1f%n", pythonToJava[2]);
        System.out.printf(Locale.ROOT, "reference.jep.java_to_python.gil_held_ns=%.1f%n", javaToPython[2]);
    }
}
