package dev.jawait.internal.runtime;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.ffi.CPython;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interned Python {@code str} objects for names used from Java (attributes, keywords, methods),
 * created once per name in each interpreter and kept for its lifetime, as CPython keeps identifiers.
 * {@link #intern} is for the fixed names of code; {@link #internIfRoom} serves names that callers
 * pass in, which may come from data, and stops caching past {@value #MAX_CACHED} names. A concurrent
 * map: threads of a free-threaded Python intern at once.
 */
public final class PyStrings {
    private PyStrings() {}

    /** Names cached at most; past that, a name not cached yet gets a fresh str each time. */
    public static final int MAX_CACHED = 4096;
    /** Each interpreter's interned names: a str belongs to the interpreter that made it. */
    private static final InterpreterLocal<Cache> CACHES = new InterpreterLocal<>(Cache::new);

    /** Names to the interned strs it owns. */
    private static final class Cache extends ConcurrentHashMap<String, Long> implements InterpreterLocal.Owning {
        @Override
        public void release() {
            values().forEach(CPython::Py_DecRef);
            clear();
        }
    }

    /**
     * A borrowed reference to the interned str for {@code name} if it is cached or the cache has
     * room, else 0: the caller then makes a fresh str of its own, so that names from data cannot
     * grow memory for ever. GIL held.
     */
    public static long internIfRoom(String name) {
        Map<String, Long> cache = CACHES.get();
        Long cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        return cache.size() < MAX_CACHED ? intern(cache, name) : 0;
    }

    /** How many names are cached in the interpreter whose GIL the caller holds, for tests. */
    public static int cachedCount() {
        return CACHES.get().size();
    }

    /** A borrowed reference to the interned str for {@code name}; the caller holds the GIL. */
    public static long intern(String name) {
        return intern(CACHES.get(), name);
    }

    private static long intern(Map<String, Long> cache, String name) {
        Long cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        long str = CPython.PyUnicode_InternFromString(name);
        if (str == 0) {
            throw PythonErrors.fetch();
        }
        Long first = cache.putIfAbsent(name, str);
        if (first != null) { // another thread interned it meanwhile (free-threaded builds)
            CPython.Py_DecRef(str);
            return first;
        }
        return str;
    }
}
