package dev.jawait.launcher;

import dev.jawait.export.ModuleProvider;
import dev.jawait.export.PyFunction;
import dev.jawait.export.PyModule;

/** Found through META-INF/services by ServiceLoader (test resources). */
@PyModule("discovered")
public class DiscoveredModule implements ModuleProvider {
    @PyFunction
    public String ping() {
        return "pong";
    }
}
