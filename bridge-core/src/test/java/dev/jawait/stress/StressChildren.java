package dev.jawait.stress;

import dev.jawait.PyObject;
import dev.jawait.Python;
import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;
import dev.jawait.testing.PythonProbes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Main programs run in child JVMs by the stress tests; each prints what its test checks. */
final class StressChildren {
    private StressChildren() {}

    /** Java threads that attach and end, in waves; then what is left and who lost what. */
    static final class ThreadChurn {
        public static void main(String[] args) throws Exception {
            int threads = Integer.parseInt(args[0]);
            Python python = Python.builder().start();
            python.run(py -> py.exec(PythonProbes.THREAD_STATES));
            long baseline = python.attach(py -> py.eval("thread_states()").asLong());
            int wave = 50;
            for (int started = 0; started < threads; started += wave) {
                List<Thread> running = new ArrayList<>();
                for (int i = 0; i < Math.min(wave, threads - started); i++) {
                    Thread thread = new Thread(
                            () -> python.run(py -> py.eval("sum(range(10))").close()));
                    thread.start();
                    running.add(thread);
                }
                for (Thread thread : running) {
                    thread.join();
                }
            }
            // No System.gc(): the states of ended threads must go without one (bounded wait).
            long left = Long.MAX_VALUE;
            for (int i = 0; i < 300 && left > baseline; i++) {
                Thread.sleep(100);
                left = python.attach(py -> py.eval("thread_states()").asLong());
            }
            System.out.println("after " + threads + " threads: " + left + " thread states, baseline " + baseline);
            System.out.println("thread states settled at the baseline: " + (left == baseline));
            // Whatever frees them (and a collection that may find dead attachments) must not unbind the
            // PyGILState state of a thread that attaches meanwhile.
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            System.out.println("binding intact on the attaching thread: "
                    + python.attach(py -> py.eval("binding_intact()").toJava()));
            System.out.println("binding intact on Python's main thread: "
                    + python.attachOnMainThread(
                            py -> py.eval("binding_intact()").toJava()));
            // ctypes wraps a callback in PyGILState_Ensure/Release, which aborts on a lost binding.
            python.run(py -> py.exec(String.join(
                    "\n",
                    "import _jawait",
                    "ctypes.CFUNCTYPE(None)(lambda: _jawait.resource('no/such/resource'))()",
                    "print('ctypes callback into Java: ok', flush=True)")));
            python.close();
            System.out.println("closed");
        }
    }

    /**
     * Many Java threads in Python at once (at the same time for real on a free-threaded Python):
     * Python calling Java, Java objects through handles, dicts and lists converted while other threads
     * change them, names interned and built-ins looked up from every thread, and references closed on
     * threads other than the ones that made them. Prints what went right, counted.
     */
    static final class ParallelPython {
        @PyModule("parallel_probe")
        public static final class Probe implements ModuleProvider {
            @PyFunction
            public static long twice(long x) {
                return 2 * x;
            }

            @PyFunction
            public static Object same(Object value) {
                return value;
            }
        }

        /** A Java object with no Python equivalent. */
        record Token(int thread) {}

        public static void main(String[] args) throws Exception {
            int threads = Integer.parseInt(args[0]);
            int rounds = Integer.parseInt(args[1]);
            Python python = Python.builder().start();
            python.register(new Probe());
            python.run(py -> py.exec(String.join(
                    "\n",
                    "import sys, parallel_probe",
                    "shared = {}",
                    "shared_list = []",
                    "def work(i, n):",
                    "    total = 0",
                    "    for k in range(n):",
                    "        shared['k%d' % ((i * 7 + k) % 64)] = [k, str(k)]",
                    "        shared_list.append({'k': k})",
                    "        if len(shared_list) > 50:",
                    "            shared_list.clear()",
                    "        total += parallel_probe.twice(k)",
                    "    return total",
                    "def handles(o, n):",
                    "    return all(parallel_probe.same(o) is not None for _ in range(n))")));
            long expected = 2L * (199 * 200 / 2);
            AtomicInteger rightSums = new AtomicInteger();
            AtomicInteger rightObjects = new AtomicInteger();
            AtomicInteger conversions = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ConcurrentLinkedQueue<PyObject> toClose = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int r = 0; r < rounds; r++) {
                            int round = r;
                            python.run(py -> {
                                try (PyObject work = py.eval("work")) {
                                    if (work.callAsLong(index, 200) == expected) {
                                        rightSums.incrementAndGet();
                                    }
                                }
                                Object mine = new Token(index); // crosses as a JavaObject handle
                                try (PyObject same = py.eval("parallel_probe.same")) {
                                    if (same.callAs(Object.class, mine) == mine) {
                                        rightObjects.incrementAndGet();
                                    }
                                }
                                try (PyObject handles = py.eval("handles")) {
                                    handles.callVoid(mine, 20);
                                }
                                Object dict = py.eval("shared").toJava();
                                Object list = py.eval("shared_list").toJava();
                                if (dict instanceof Map<?, ?> && list instanceof List<?>) {
                                    conversions.incrementAndGet();
                                }
                                try (PyObject len = py.builtin("len");
                                        PyObject sys = py.importModule("sys")) {
                                    sys.hasAttr("name_" + (index * 1000 + round) % 5000);
                                    len.call(List.of(1, 2)).close();
                                }
                                toClose.add(py.eval("[%d, 'x']".formatted(round)));
                                PyObject other = toClose.poll(); // most often another thread's
                                if (other != null) {
                                    other.close();
                                }
                            });
                            PyObject unattached = toClose.poll(); // closed with no GIL: a deferred decref
                            if (unattached != null) {
                                unattached.close();
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                thread.start();
                running.add(thread);
            }
            start.countDown();
            for (Thread thread : running) {
                thread.join();
            }
            if (failure.get() != null) {
                failure.get().printStackTrace(System.out);
            }
            int total = threads * rounds;
            System.out.println("sums right: " + rightSums.get() + "/" + total);
            System.out.println("objects right: " + rightObjects.get() + "/" + total);
            System.out.println("conversions: " + conversions.get() + "/" + total);
            System.out.println("free-threaded with the GIL back on: "
                    + python.attach(py -> py.eval("bool(__import__('sysconfig').get_config_var('Py_GIL_DISABLED'))"
                                    + " and sys._is_gil_enabled()")
                            .toJava()));
            toClose.forEach(PyObject::close);
            python.close();
            System.out.println("closed");
        }
    }
}
