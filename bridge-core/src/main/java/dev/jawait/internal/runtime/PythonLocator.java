package dev.jawait.internal.runtime;

import dev.jawait.PythonStartupException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Python to embed and asks it about itself.
 *
 * <p>Order: an explicit setting (the builder's, or the jawait command's {@code --python}), the
 * {@code jawait.python} system property, the {@code JAWAIT_PYTHON} environment variable, then
 * {@code python3} on {@code PATH}. What an executable says about itself is kept in
 * {@link InstallationCache}, so that the next start need not run it.
 */
public final class PythonLocator {
    public static final String PROPERTY = "jawait.python";
    public static final String ENVIRONMENT = "JAWAIT_PYTHON";
    static final int MIN_MINOR = 9;
    static final int MAX_TESTED_MINOR = 13;
    /** Lets a CPython newer than {@link #MAX_TESTED_MINOR} start, on the layouts jawait knows (an opt-in). */
    public static final String ALLOW_UNTESTED_PROPERTY = "jawait.allowUntestedPython";

    public static final String ALLOW_UNTESTED_ENVIRONMENT = "JAWAIT_ALLOW_UNTESTED_PYTHON";

    /** How errors name the explicit setting, such as "Python.builder().executable(...)" or "--python". */
    private final String setting;

    private final String howToChoose;

    public PythonLocator(String setting) {
        this.setting = setting;
        this.howToChoose = "choose a Python 3.9+ with " + setting + ", the -D" + PROPERTY
                + "=... system property or the " + ENVIRONMENT + " environment variable";
    }

    // Runs on any Python, 2.7 included, so that an old one gets a version error, not a syntax error.
    private static final String PROBE = String.join(
            "\n",
            "import sys, os, platform",
            "try:",
            "    import sysconfig",
            "    cv = sysconfig.get_config_var",
            "except ImportError:",
            "    cv = lambda name: None",
            "w = sys.stdout.write",
            "w('version=%d.%d.%d\\n' % tuple(sys.version_info[:3]))",
            "w('implementation=%s\\n' % platform.python_implementation())",
            "for k in ('Py_ENABLE_SHARED', 'LIBDIR', 'LDLIBRARY', 'INSTSONAME', 'MULTIARCH', 'Py_GIL_DISABLED', 'Py_TRACE_REFS', 'Py_DEBUG'):",
            "    w('%s=%s\\n' % (k, cv(k)))",
            "w('executable=%s\\n' % sys.executable)",
            "w('prefix=%s\\n' % sys.prefix)",
            "w('base_prefix=%s\\n' % getattr(sys, 'base_prefix', sys.prefix))",
            "");

    /** Resolves which executable to use; {@code explicit} may be null. */
    public Path chooseExecutable(String explicit) {
        String chosen = firstNonBlank(explicit, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
        if (chosen != null) {
            Path path = Path.of(chosen);
            if (!chosen.contains(File.separator)) {
                Path onPath = searchPath(chosen);
                if (onPath != null) {
                    return onPath;
                }
            }
            String given = "'" + chosen + "' (from " + source(explicit) + ")";
            if (Files.isDirectory(path)) {
                Path inside = Files.isExecutable(path.resolve("bin/python"))
                        ? path.resolve("bin/python")
                        : Files.isExecutable(path.resolve("bin/python3")) ? path.resolve("bin/python3") : null;
                throw new PythonStartupException(given + " is a directory, not a Python executable; "
                        + (inside != null
                                ? "give the Python inside it: " + inside + " (a venv's Python)"
                                : "give the path of a Python 3.9+ executable, such as a venv's bin/python")
                        + ".");
            }
            if (!Files.exists(path)) {
                throw new PythonStartupException(given + " does not exist; give the path of a Python 3.9+ executable "
                        + "(a venv's bin/python works), or " + howToChoose + ".");
            }
            if (!Files.isExecutable(path)) {
                throw new PythonStartupException(
                        given + " is not executable; give a Python 3.9+ executable, or " + howToChoose + ".");
            }
            return path;
        }
        Path onPath = searchPath("python3");
        if (onPath == null) {
            throw new PythonStartupException("No Python found: looked for 'python3' on PATH ("
                    + System.getenv("PATH") + ") because neither " + setting + ", " + PROPERTY + " nor " + ENVIRONMENT
                    + " is set; install Python 3.9+ or " + howToChoose + ".");
        }
        return onPath;
    }

    private String source(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return setting;
        }
        String property = System.getProperty(PROPERTY);
        return property != null && !property.isBlank()
                ? "the " + PROPERTY + " system property"
                : "the " + ENVIRONMENT + " environment variable";
    }

    /** What the executable says about itself (from the cache if it was asked before), validated. */
    public PythonInstallation inspect(Path executable) {
        Map<String, String> facts = InstallationCache.read(executable);
        if (facts == null) {
            facts = parse(runProbe(executable));
            InstallationCache.write(executable, facts);
        }
        String version = facts.get("version");
        if (version == null) {
            throw new PythonStartupException(
                    "'" + executable + "' did not report a Python version; is it Python? " + howToChoose + ".");
        }
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        int micro = Integer.parseInt(parts[2]);
        if (!"CPython".equals(facts.get("implementation"))) {
            throw new PythonStartupException("'" + executable + "' is " + facts.get("implementation") + " " + version
                    + "; jawait embeds CPython only: " + howToChoose + ".");
        }
        if (major != 3 || minor < MIN_MINOR) {
            throw new PythonStartupException("'" + executable + "' is Python " + version
                    + ", below the 3.9 that jawait needs: " + howToChoose + ".");
        }
        if (minor > MAX_TESTED_MINOR && !untestedAllowed()) {
            throw new PythonStartupException("'" + executable + "' is Python " + version + ", newer than 3."
                    + MAX_TESTED_MINOR + ", the newest that this jawait is tested on: its object layouts may differ "
                    + "from those jawait reads. Choose a Python 3.9-3." + MAX_TESTED_MINOR + ", or try it anyway "
                    + "with -D" + ALLOW_UNTESTED_PROPERTY + "=true (or " + ALLOW_UNTESTED_ENVIRONMENT + "=1).");
        }
        boolean freeThreaded = "1".equals(facts.get("Py_GIL_DISABLED"));
        if ("1".equals(facts.get("Py_TRACE_REFS")) || (freeThreaded && minor < 13)) {
            throw new PythonStartupException("'" + executable + "' is a "
                    + (freeThreaded ? "free-threaded" : "Py_TRACE_REFS")
                    + " build of Python " + version + ", whose object layout jawait does not support: " + howToChoose
                    + ".");
        }
        Path libpython = findLibpython(executable, version, facts);
        // sys.executable as the probe saw it: a venv's own python, or the real binary behind a shim.
        String reported = facts.get("executable");
        Path programName = reported == null || reported.isEmpty() ? executable : Path.of(reported);
        return new PythonInstallation(
                programName,
                major,
                minor,
                micro,
                libpython,
                facts.get("prefix"),
                facts.get("base_prefix"),
                "1".equals(facts.get("Py_DEBUG")),
                freeThreaded);
    }

    private static boolean untestedAllowed() {
        String property = System.getProperty(ALLOW_UNTESTED_PROPERTY);
        String value = property != null ? property : System.getenv(ALLOW_UNTESTED_ENVIRONMENT);
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    private static Map<String, String> parse(String probeOutput) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : probeOutput.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return facts;
    }

    private Path findLibpython(Path executable, String version, Map<String, String> facts) {
        String libdir = facts.get("LIBDIR");
        List<Path> candidates = new ArrayList<>();
        for (String dir :
                new String[] {libdir, libdir + "/" + facts.get("MULTIARCH"), "/usr/lib/" + facts.get("MULTIARCH")}) {
            for (String name : new String[] {facts.get("LDLIBRARY"), facts.get("INSTSONAME")}) {
                if (dir != null && !dir.contains("None") && name != null && name.contains(".so")) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        String fix = " Use a Python built with --enable-shared (pyenv: PYTHON_CONFIGURE_OPTS=--enable-shared pyenv "
                + "install " + version + "; Debian: apt install libpython3-dev), or " + howToChoose + ".";
        if (candidates.isEmpty()) {
            throw new PythonStartupException("'" + executable + "' (Python " + version + ") has no shared libpython: "
                    + "it was built without --enable-shared (its library is " + facts.get("LDLIBRARY") + " in "
                    + libdir + "), and jawait loads libpython into the JVM." + fix);
        }
        throw new PythonStartupException("'" + executable + "' (Python " + version + ") has no shared libpython where "
                + "its build says: none of " + candidates + " exists." + fix);
    }

    private String runProbe(Path executable) {
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-c", PROBE);
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        builder.redirectErrorStream(true);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new PythonStartupException("'" + executable + "' did not answer jawait's probe within 60 s.");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new PythonStartupException("'" + executable + "' failed to describe itself (exit status "
                        + process.exitValue() + "): " + text.strip() + "; " + howToChoose + ".");
            }
            return text;
        } catch (IOException e) {
            throw new PythonStartupException(
                    "Could not run '" + executable + "': " + e.getMessage() + "; " + howToChoose + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PythonStartupException("Interrupted while asking '" + executable + "' about itself.", e);
        }
    }

    private static Path searchPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
