package dev.jawait.internal.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frees what a Java thread leaves behind when it ends: its native scratch memory and, for a Java
 * thread that attached, its Python thread state.
 *
 * <p>Java has no thread-exit hook, and waiting for the garbage collector to find a dead thread's
 * {@link ThreadAttachment} left thousands of thread states behind. So a daemon thread checks the
 * liveness of the threads it watches every {@value #PERIOD_MS} ms while it watches any, and frees
 * the resources of those that ended through {@link Interpreter#freeThreadStates}, in each
 * interpreter the thread was in.
 */
final class ThreadReaper {
    private ThreadReaper() {}

    static final long PERIOD_MS = 100;
    private static final List<ThreadAttachment.NativeResources> WATCHED = new ArrayList<>();
    private static Thread reaper; // guarded by WATCHED

    /** Frees {@code resources} once their thread has ended. */
    static void watch(ThreadAttachment.NativeResources resources) {
        synchronized (WATCHED) {
            WATCHED.add(resources);
            if (reaper == null) {
                reaper = new Thread(ThreadReaper::run, "jawait-thread-reaper");
                reaper.setDaemon(true);
                reaper.start();
            }
            WATCHED.notifyAll();
        }
    }

    private static void run() {
        while (true) {
            try {
                synchronized (WATCHED) {
                    while (WATCHED.isEmpty()) {
                        WATCHED.wait();
                    }
                }
                Thread.sleep(PERIOD_MS);
                reap(ended());
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                System.getLogger(ThreadReaper.class.getName())
                        .log(System.Logger.Level.ERROR, "freeing the resources of ended threads failed", t);
            }
        }
    }

    private static List<ThreadAttachment.NativeResources> ended() {
        List<ThreadAttachment.NativeResources> ended = new ArrayList<>();
        synchronized (WATCHED) {
            for (Iterator<ThreadAttachment.NativeResources> i = WATCHED.iterator(); i.hasNext(); ) {
                ThreadAttachment.NativeResources resources = i.next();
                if (!resources.thread.isAlive()) {
                    ended.add(resources);
                    i.remove();
                }
            }
        }
        return ended;
    }

    private static void reap(List<ThreadAttachment.NativeResources> ended) {
        if (ended.isEmpty()) {
            return;
        }
        Map<Interpreter, List<Long>> byInterpreter = new LinkedHashMap<>();
        for (ThreadAttachment.NativeResources resources : ended) {
            for (ThreadAttachment.Slot owned : resources.owned) {
                byInterpreter
                        .computeIfAbsent(owned.interpreter, i -> new ArrayList<>())
                        .add(owned.threadState);
            }
        }
        byInterpreter.forEach((interpreter, states) -> interpreter.freeThreadStates(
                states.stream().mapToLong(Long::longValue).toArray()));
        for (ThreadAttachment.NativeResources resources : ended) {
            resources.free();
        }
    }
}
