package dev.jawait.stress;

import dev.jawait.Python;
import dev.jawait.testing.PythonProbes;
import java.util.ArrayList;
import java.util.List;

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
}
