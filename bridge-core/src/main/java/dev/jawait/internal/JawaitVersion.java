package dev.jawait.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** jawait's own version, as the build wrote it into {@code META-INF/jawait/version.properties}. */
public final class JawaitVersion {
    private JawaitVersion() {}

    private static final String VERSION = read();

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = JawaitVersion.class.getResourceAsStream("/META-INF/jawait/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading jawait's version", e);
        }
    }
}
