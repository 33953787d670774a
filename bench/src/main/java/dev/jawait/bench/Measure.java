package dev.jawait.bench;

import dev.jawait.PyObject;
import dev.jawait.Python;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/** Repeated measurement: warm-up rounds, then the median of timed rounds. */
final class Measure {
    private Measure() {}

    /** How long and how often to measure; {@code quick} for smoke runs. */
    record Plan(int warmups, int rounds, double scale) {
        static Plan full() {
            return new Plan(3, 7, 1.0);
        }

        static Plan quick() {
            return new Plan(1, 3, 0.05);
        }

        /** The operations per round: {@code fullOps} scaled down for quick runs. */
        int ops(int fullOps) {
            return Math.max(1000, (int) (fullOps * scale));
        }
    }

    /** One timed round; returns its figure (nanoseconds per operation, or a rate). */
    @FunctionalInterface
    interface Round {
        double run();
    }

    /** The median figure over the plan's rounds, after its warm-up rounds. */
    static double median(Plan plan, Round round) {
        for (int i = 0; i < plan.warmups(); i++) {
            round.run();
        }
        double[] values = new double[plan.rounds()];
        for (int i = 0; i < values.length; i++) {
            values[i] = round.run();
        }
        Arrays.sort(values);
        return values[values.length / 2];
    }

    /**
     * The median figure of each of {@code rounds}, measured in turns: a round of each, then again,
     * warm-up rounds first. A figure and its same-run baselines then share the JIT's and the heap's
     * state, which drift within a run: measured one after the other, the same Java exchange moved
     * from 637,000 to 253,000 requests a second between its first and its last figure.
     */
    static double[] inTurns(Plan plan, Round... rounds) {
        for (int i = 0; i < plan.warmups(); i++) {
            for (Round round : rounds) {
                round.run();
            }
        }
        double[][] values = new double[rounds.length][plan.rounds()];
        for (int i = 0; i < plan.rounds(); i++) {
            for (int r = 0; r < rounds.length; r++) {
                values[r][i] = rounds[r].run();
            }
        }
        double[] medians = new double[rounds.length];
        for (int r = 0; r < rounds.length; r++) {
            Arrays.sort(values[r]);
            medians[r] = values[r][plan.rounds() / 2];
        }
        return medians;
    }

    /**
     * The median of a figure that Python measures itself: {@code expression}, evaluated in
     * {@code __main__} after a garbage collection, returns it.
     */
    static double python(Python python, Plan plan, String expression) {
        return median(
                plan,
                () -> python.attach(py -> {
                    py.exec("import gc\ngc.collect()");
                    try (PyObject figure = py.eval(expression)) {
                        return figure.asDouble();
                    }
                }));
    }

    /** Times {@code ops} runs of {@code op} on the calling thread; nanoseconds per operation. */
    static double javaLoop(int ops, Runnable op) {
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            op.run();
        }
        return (System.nanoTime() - start) / (double) ops;
    }

    private static final MethodHandle START_VIRTUAL_THREAD = startVirtualThread();

    /** Whether this JDK has virtual threads (21+; jawait compiles for 17). */
    static boolean virtualThreads() {
        return START_VIRTUAL_THREAD != null;
    }

    /** Runs {@code round} on a new virtual thread and returns its figure. */
    static double onVirtualThread(Round round) {
        double[] figure = new double[1];
        RuntimeException[] failure = new RuntimeException[1];
        try {
            Runnable body = () -> {
                try {
                    figure[0] = round.run();
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            };
            ((Thread) START_VIRTUAL_THREAD.invoke(body)).join();
        } catch (Throwable e) {
            throw new IllegalStateException("could not run a round on a virtual thread", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return figure[0];
    }

    private static MethodHandle startVirtualThread() {
        try {
            return MethodHandles.publicLookup()
                    .findStatic(
                            Thread.class, "startVirtualThread", MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
