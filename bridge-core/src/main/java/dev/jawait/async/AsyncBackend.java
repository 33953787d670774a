package dev.jawait.async;

import java.util.List;

/**
 * SPI: one Python async library that Java async functions can serve. jawait ships three,
 * discovered with {@link java.util.ServiceLoader}: {@code asyncio}, {@code trio} and
 * {@code sniffio} (which detects one of the other two when a coroutine first runs).
 *
 * <p>A backend is thin: its Python module (shipped in its jar, importable as {@link #pythonModule()})
 * implements how to park a coroutine, resolve a batch of completions, spawn an awaitable and run a
 * loop; the coroutine and wake machinery is jawait's core. The module provides
 * {@code check(function_name) -> park} (raising RuntimeError under a library it does not serve;
 * {@code park(pending)} parks the call and returns what to await), and, for backends that
 * run loops, {@code channel()}, {@code spawn(awaitable, completion)}, {@code yield_now()} and
 * {@code run_loop(control, flavor, name)}, where {@code name} names the loop's wake channel
 * (a stable name: the {@code loop} tag of its metrics). The Python side states this contract as
 * the {@code typing.Protocol} {@code jawait._backend.Backend}, which mypy checks each backend against.
 *
 * <p>To force an implementation for a name, set the system property
 * {@code jawait.backend.<name>=<class name>}.
 */
public interface AsyncBackend {
    /** What functions ask for in {@code @PyFunction(backend = ...)}: "asyncio", "trio", "sniffio". */
    String name();

    /** The Python module implementing it, such as {@code jawait._backend_asyncio}. */
    String pythonModule();

    /** Python distributions it needs, named in the error when one is missing. */
    List<String> pythonRequirements();

    /** Kinds of event loop {@link EventLoop#start} can run with it, such as "asyncio" and "uvloop"; may be empty. */
    List<String> loopFlavors();
}
