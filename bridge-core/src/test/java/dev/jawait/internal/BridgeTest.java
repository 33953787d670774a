package dev.jawait.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** The seam is installed by jawait's own classes, once: code on the class path cannot replace a side. */
class BridgeTest {
    @Test
    void onlyJawaitInstallsEitherSide() {
        assertNotNull(Bridge.values());
        assertNotNull(Bridge.definitions());
        Bridge.Core core = (Bridge.Core) Proxy.newProxyInstance(
                Bridge.Core.class.getClassLoader(), new Class<?>[] {Bridge.Core.class}, (proxy, method, args) -> null);
        Bridge.Export export = (Bridge.Export) Proxy.newProxyInstance(
                Bridge.Export.class.getClassLoader(),
                new Class<?>[] {Bridge.Export.class},
                (proxy, method, args) -> null);
        assertThrows(IllegalStateException.class, () -> Bridge.install(core));
        assertThrows(IllegalStateException.class, () -> Bridge.install(export));
    }
}
