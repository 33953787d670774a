package dev.jawait.internal.async;

import dev.jawait.async.AsyncBackend;
import dev.jawait.internal.convert.ToPython;
import dev.jawait.internal.ffi.CPython;
import dev.jawait.internal.runtime.Interpreter;
import dev.jawait.internal.runtime.PyCalls;
import dev.jawait.internal.runtime.PyFunctionRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The async backends on the class path. Per name: the class in the {@code jawait.backend.<name>}
 * system property if set, else the one ServiceLoader finds (a broken provider is skipped with a
 * warning; two for one name is reported and the first kept).
 */
public final class Backends {
    private Backends() {}

    public static final String DEFAULT_PROPERTY = "jawait.backend";
    private static final PyFunctionRef FIND_SPEC = new PyFunctionRef("importlib.util", "find_spec");
    private static volatile Map<String, AsyncBackend> backends;

    private static Map<String, AsyncBackend> backends() {
        Map<String, AsyncBackend> found = backends;
        if (found == null) {
            synchronized (Backends.class) {
                if (backends == null) {
                    backends = discover();
                }
                found = backends;
            }
        }
        return found;
    }

    private static Map<String, AsyncBackend> discover() {
        Map<String, AsyncBackend> found = new LinkedHashMap<>();
        Iterator<AsyncBackend> providers = ServiceLoader.load(AsyncBackend.class, Backends.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                AsyncBackend backend = providers.next();
                AsyncBackend previous = found.putIfAbsent(backend.name(), backend);
                if (previous != null && previous.getClass() != backend.getClass()) {
                    System.getLogger(Backends.class.getName())
                            .log(
                                    System.Logger.Level.WARNING,
                                    "two async backends named '" + backend.name() + "': "
                                            + previous.getClass().getName() + " and "
                                            + backend.getClass().getName()
                                            + "; using the first (set -D" + DEFAULT_PROPERTY + "." + backend.name()
                                            + " to choose)");
                }
            } catch (ServiceConfigurationError e) {
                System.getLogger(Backends.class.getName())
                        .log(System.Logger.Level.WARNING, "skipping an async backend that failed to load", e);
            }
        }
        for (String name : List.copyOf(found.keySet())) {
            String forced = System.getProperty(DEFAULT_PROPERTY + "." + name);
            if (forced != null && !forced.isBlank()) {
                found.put(name, instantiate(name, forced));
            }
        }
        return found;
    }

    private static AsyncBackend instantiate(String name, String className) {
        try {
            return (AsyncBackend) Class.forName(className.strip(), true, Backends.class.getClassLoader())
                    .getConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(
                    "-D" + DEFAULT_PROPERTY + "." + name + "=" + className
                            + " does not name an AsyncBackend with a public no-argument constructor",
                    e);
        }
    }

    /** The backend named {@code name}, or an error that says which jar provides it. */
    public static AsyncBackend require(String name) {
        AsyncBackend backend = backends().get(name);
        if (backend == null) {
            throw new IllegalStateException("no jawait async backend named '" + name + "' is on the class path (found: "
                    + backends().keySet() + "); add the dev.jawait:jawait-backend-" + name + " jar");
        }
        return backend;
    }

    /** The backend that can run {@code flavor} loops. */
    public static AsyncBackend forLoopFlavor(String flavor) {
        for (AsyncBackend backend : backends().values()) {
            if (backend.loopFlavors().contains(flavor)) {
                return backend;
            }
        }
        List<String> known = new ArrayList<>();
        backends().values().forEach(b -> known.addAll(b.loopFlavors()));
        throw new IllegalStateException("no jawait backend runs '" + flavor + "' event loops (available: " + known
                + "); add dev.jawait:jawait-backend-asyncio or dev.jawait:jawait-backend-trio");
    }

    /**
     * The backend of functions that name none: the {@code jawait.backend} property, else sniffio
     * when its backend and Python package are present, else asyncio, else the only one there is.
     * Needs the GIL (it asks Python whether sniffio is importable).
     */
    public static String defaultName() {
        String chosen = System.getProperty(DEFAULT_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return require(chosen.strip()).name();
        }
        Map<String, AsyncBackend> all = backends();
        if (all.containsKey("sniffio") && pythonHas("sniffio")) {
            return "sniffio";
        }
        if (all.containsKey("asyncio")) {
            return "asyncio";
        }
        if (all.size() == 1) {
            return all.keySet().iterator().next();
        }
        throw new IllegalStateException("no jawait async backend is on the class path; add "
                + "dev.jawait:jawait-backend-asyncio, -trio or -sniffio");
    }

    /** Whether the Python distribution {@code module} is importable (without importing it). */
    static boolean pythonHas(String module) {
        long name = ToPython.string(module);
        try {
            long spec = PyCalls.call(FIND_SPEC.get(), name);
            boolean found = spec != dev.jawait.internal.ffi.Symbols.NONE;
            CPython.Py_DecRef(spec);
            return found;
        } finally {
            CPython.Py_DecRef(name);
        }
    }

    /** Checks that a backend's Python packages are importable, naming the missing ones and the fix. */
    public static void requirePythonPackages(AsyncBackend backend) {
        List<String> missing =
                backend.pythonRequirements().stream().filter(p -> !pythonHas(p)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missingPackages("jawait's " + backend.name() + " backend", missing));
        }
    }

    /**
     * "{@code what} needs the Python package(s) ..., which PYTHON cannot import; install: PYTHON -m
     * pip install ...", naming the Python that jawait embeds.
     */
    static String missingPackages(String what, List<String> packages) {
        String python = Interpreter.main().installation().executable().toString();
        boolean one = packages.size() == 1;
        return what + " needs the Python package" + (one ? " '" : "s '") + String.join("', '", packages)
                + "', which " + python + " cannot import; install " + (one ? "it" : "them") + ": " + python
                + " -m pip install " + String.join(" ", packages);
    }
}
