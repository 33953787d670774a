package dev.jawait.backend.asyncio;

import dev.jawait.async.AsyncBackend;
import java.util.List;

/**
 * asyncio: coroutines park on asyncio futures of their loop, which Java wakes through a pipe the
 * loop reads ({@code jawait/_backend_asyncio.py}). Any asyncio loop works, uvloop's included; jawait
 * can run "asyncio" and "uvloop" loops of its own.
 */
public final class AsyncioBackend implements AsyncBackend {
    @Override
    public String name() {
        return "asyncio";
    }

    @Override
    public String pythonModule() {
        return "jawait._backend_asyncio";
    }

    @Override
    public List<String> pythonRequirements() {
        return List.of();
    }

    @Override
    public List<String> loopFlavors() {
        return List.of("asyncio", "uvloop");
    }
}
