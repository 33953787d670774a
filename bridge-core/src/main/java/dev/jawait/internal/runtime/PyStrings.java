package dev.jawait.internal.runtime;

import dev.jawait.internal.convert.PythonErrors;
import dev.jawait.internal.ffi.CPython;
import java.util.HashMap;
import java.util.Map;

/**
 * Interned Python {@code str} objects for names used from Java (attributes, keywords, methods),
 * created once per name and kept for the interpreter's lifetime, as CPython keeps identifiers.
 * Meant for the fixed names of code, not for unbounded data. Guarded by the GIL.
 */
public final class PyStrings {
    private PyStrings() {}

    private static final Map<String, Long> CACHE = new HashMap<>();

    /** A borrowed reference to the interned str for {@code name}; the caller holds the GIL. */
    public static long intern(String name) {
        Long cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        long str = CPython.PyUnicode_InternFromString(name);
        if (str == 0) {
            throw PythonErrors.fetch();
        }
        CACHE.put(name, str);
        return str;
    }
}
