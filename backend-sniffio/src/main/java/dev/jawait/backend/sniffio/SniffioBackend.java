package dev.jawait.backend.sniffio;

import dev.jawait.async.AsyncBackend;
import java.util.List;

/**
 * sniffio: finds out when a coroutine first runs whether asyncio or trio runs it (anyio on either
 * backend included) and hands over to that backend ({@code jawait/_backend_sniffio.py}). It has no
 * implementation of its own, so it needs both other backends.
 */
public final class SniffioBackend implements AsyncBackend {
    @Override
    public String name() {
        return "sniffio";
    }

    @Override
    public String pythonModule() {
        return "jawait._backend_sniffio";
    }

    @Override
    public List<String> pythonRequirements() {
        return List.of("sniffio");
    }

    @Override
    public List<String> loopFlavors() {
        return List.of();
    }
}
