/**
 * jawait's core: CPython embedded through JNA, Java modules exported to Python, and Java futures and
 * streams awaited from Python's event loops (and the reverse). Its tiers:
 * <ul>
 *   <li>API: {@code dev.jawait} (the interpreter, the GIL token, objects, errors),
 *       {@code dev.jawait.export} (modules and functions for Python), {@code dev.jawait.async}
 *       (event loops, Python futures and streams, the backend SPI), {@code dev.jawait.metrics},
 *       {@code dev.jawait.launcher} (the {@code jawait} command and its SPI for commands);</li>
 *   <li>test tier: {@code dev.jawait.diagnostics}, for jawait's own test and benchmark modules;</li>
 *   <li>internal: {@code dev.jawait.internal.*}, exported to no one.</li>
 * </ul>
 * Vert.x and Micrometer are optional: what uses them works when the application has them.
 */
module dev.jawait.core {
    requires com.sun.jna;
    requires jdk.unsupported; // sun.misc.Signal for signal forwarding; sun.misc.Unsafe before JDK 22
    requires static transitive io.vertx.core; // in signatures of dev.jawait.async
    requires static transitive micrometer.core; // in JawaitMetrics' signatures

    exports dev.jawait;
    exports dev.jawait.async;
    exports dev.jawait.export;
    exports dev.jawait.launcher;
    exports dev.jawait.metrics;
    exports dev.jawait.diagnostics to
            dev.jawait.pytests,
            dev.jawait.bench;

    uses dev.jawait.async.AsyncBackend;
    uses dev.jawait.export.ModuleProvider;
    uses dev.jawait.launcher.LauncherCommand;
}
