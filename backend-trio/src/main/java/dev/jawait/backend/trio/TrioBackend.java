package dev.jawait.backend.trio;

import dev.jawait.async.AsyncBackend;
import java.util.List;

/**
 * trio: tasks park in {@code wait_task_rescheduled}; a system task of the run reads the pipe that
 * Java writes to and reschedules them ({@code jawait/_backend_trio.py}). jawait can run "trio" runs
 * of its own.
 */
public final class TrioBackend implements AsyncBackend {
    @Override
    public String name() {
        return "trio";
    }

    @Override
    public String pythonModule() {
        return "jawait._backend_trio";
    }

    @Override
    public List<String> pythonRequirements() {
        return List.of("trio", "outcome");
    }

    @Override
    public List<String> loopFlavors() {
        return List.of("trio");
    }
}
