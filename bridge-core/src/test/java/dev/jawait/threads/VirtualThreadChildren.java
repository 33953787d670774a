package dev.jawait.threads;

import dev.jawait.Python;
import dev.jawait.export.ModuleDefinition;
import dev.jawait.testing.PythonProbes;
import dev.jawait.testing.Virtual;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Main programs run in child JVMs by {@link VirtualThreadTest}; each prints what its test checks. */
final class VirtualThreadChildren {
    private VirtualThreadChildren() {}

    /** Java functions whose bodies park, called by Python on virtual threads. */
    static final ModuleDefinition PARKING = ModuleDefinition.builder("vtparking")
            .function("pause", f -> f.param("millis", long.class).body(args -> sleep(args.getLong("millis"))))
            .function(
                    "pause_released",
                    f -> f.param("millis", long.class).releaseGil(true).body(args -> sleep(args.getLong("millis"))))
            .function("join_attaching_thread", f -> f.releaseGil(true).body(args -> joinAttachingThread()))
            .build();

    private static Python python;

    private static long sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return millis;
    }

    /** Starts another virtual thread that attaches, and waits for it: possible as the caller released the GIL. */
    private static long joinAttachingThread() {
        ExecutorService executor = Virtual.perTaskExecutor();
        try {
            return executor.submit(() -> python.attach(py -> py.eval("6 * 7").asLong()))
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            executor.shutdown();
        }
    }

    private static long threadStates() {
        return python.attach(py -> py.eval("thread_states()").asLong());
    }

    /**
     * {@code threads} virtual threads each use one of the public ways in, every {@code parkEvery}-th
     * with parks inside its scope; then what they computed, whether each scope kept its OS thread,
     * and the thread states.
     */
    static final class Calls {
        public static void main(String[] args) throws Exception {
            int threads = Integer.parseInt(args[0]);
            int parkEvery = Integer.parseInt(args[1]);
            python = Python.builder().start();
            python.register(PARKING);
            // Every scope adds its OS thread to carriers: Python's thread identity is the carrier's.
            python.run(py -> py.exec(PythonProbes.THREAD_STATES + "import threading, vtparking\ncarriers = set()"));
            String onCarrier = "carriers.add(threading.get_ident()) or ";
            long baseline = threadStates();
            AtomicInteger movedScopes = new AtomicInteger();
            List<Future<Long>> results = new ArrayList<>();
            ExecutorService executor = Virtual.perTaskExecutor();
            try {
                for (int i = 0; i < threads; i++) {
                    long k = i;
                    long millis = k % parkEvery == 0 ? 1 : 0;
                    results.add(executor.submit(() -> switch ((int) (k % 5)) {
                        case 0 ->
                            python.attach(py -> {
                                long before = py.eval("threading.get_ident()").asLong();
                                LockSupport.parkNanos(millis * 50_000); // a park inside the scope must not move it
                                long after = py.eval("threading.get_ident()").asLong();
                                if (before != after) {
                                    movedScopes.incrementAndGet();
                                }
                                return py.eval(onCarrier + k + " + 1").asLong();
                            });
                        case 1 ->
                            python.tryAttach(py ->
                                            py.eval(onCarrier + k + " + 1").asLong())
                                    .orElseThrow();
                        case 2 ->
                            python.attach(
                                    py -> py.eval(onCarrier + "vtparking.pause(" + millis + ") * 0 + " + k + " + 1")
                                            .asLong());
                        case 3 ->
                            python.attach(py -> py.eval(
                                            onCarrier + "vtparking.pause_released(" + millis + ") * 0 + " + k + " + 1")
                                    .asLong());
                        default ->
                            python.attach(py -> {
                                py.detach(() -> sleep(millis)); // parks with the GIL released
                                return py.eval(onCarrier + k + " + 1").asLong();
                            });
                    }));
                }
            } finally {
                executor.shutdown();
            }
            long sum = 0;
            int failures = 0;
            for (Future<Long> result : results) {
                try {
                    sum += result.get();
                } catch (Exception e) {
                    failures++;
                    if (failures == 1) {
                        e.printStackTrace();
                    }
                }
            }
            long expected = (long) threads * (threads + 1) / 2;
            System.out.println("failures: " + failures);
            System.out.println("sum right: " + (sum == expected));
            System.out.println("scopes moved to another OS thread: " + movedScopes.get());
            long after = threadStates();
            long carriers = python.attach(py -> py.eval("len(carriers)").asLong());
            System.out.println("new thread states: " + (after - baseline) + ", carriers that ran a scope: " + carriers);
            System.out.println("thread states within the carriers: " + (after - baseline <= carriers));
            python.close();
            System.out.println("closed");
        }
    }

    /**
     * A virtual thread waits with the GIL released ({@code detach}) for another virtual thread that
     * attaches; a Python function with {@code releaseGil} waits for one that attaches too.
     */
    static final class Handoffs {
        public static void main(String[] args) throws Exception {
            python = Python.builder().start();
            python.register(PARKING);
            CountDownLatch attached = new CountDownLatch(1);
            ExecutorService executor = Virtual.perTaskExecutor();
            try {
                Future<Boolean> waiter = executor.submit(() -> python.attach(py -> py.detach(() -> {
                    try {
                        return attached.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                })));
                executor.submit(() -> python.run(py -> {
                    py.eval("1").close();
                    attached.countDown();
                }));
                System.out.println("detach let another virtual thread attach: " + waiter.get(60, TimeUnit.SECONDS));
                Future<Long> joined = executor.submit(
                        () -> python.attach(py -> py.eval("__import__('vtparking').join_attaching_thread()")
                                .asLong()));
                System.out.println("a releaseGil function joined a virtual thread that attached: "
                        + joined.get(60, TimeUnit.SECONDS));
            } finally {
                executor.shutdown();
            }
            python.close();
            System.out.println("closed");
        }
    }
}
