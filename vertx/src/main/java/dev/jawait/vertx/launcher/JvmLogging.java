package dev.jawait.vertx.launcher;

import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What {@code jawait run --log-level} needs of java.util.logging, when the JVM's logging goes there
 * (no SLF4J or Log4j bridge): records as low as the level asked for reach its console, whose
 * defaults show INFO and above, on one line each rather than java.util.logging's two. A
 * configuration of its own ({@code -Djava.util.logging.config.file}, a format property) is left alone.
 */
final class JvmLogging {
    private JvmLogging() {}

    /** Held strongly: java.util.logging forgets the level of a logger that was garbage collected. */
    private static final List<Logger> LIBRARIES =
            List.of(Logger.getLogger("io.netty"), Logger.getLogger("io.vertx"), Logger.getLogger("com.hazelcast"));

    static void show(System.Logger.Level level) {
        if (!System.LoggerFinder.getLoggerFinder().getClass().getName().startsWith("sun.util.logging.")
                || System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        Level julLevel = switch (level) {
            case ALL, TRACE -> Level.FINEST;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            default -> Level.SEVERE;
        };
        Logger root = Logger.getLogger("");
        if (julLevel.intValue() < root.getLevel().intValue()) {
            root.setLevel(julLevel);
            for (Logger library :
                    LIBRARIES) { // the levels Python asked for, not Vert.x's, Netty's and Hazelcast's debugging
                if (library.getLevel() == null) {
                    library.setLevel(Level.INFO);
                }
            }
        }
        for (Handler handler : root.getHandlers()) {
            if (handler instanceof ConsoleHandler
                    && julLevel.intValue() < handler.getLevel().intValue()) {
                handler.setLevel(julLevel);
            }
            handler.setFormatter(new SimpleFormatter()); // reads the format set above
        }
    }
}
