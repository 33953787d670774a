package dev.jawait.installtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** What Maven Central asks of every published artifact, as this build made it. */
class PublishedArtifactsTest {
    /** Published jar modules and the module names their manifests give. */
    private static final Map<String, String> JARS = Map.of(
            "bridge-core", "dev.jawait.core",
            "backend-asyncio", "dev.jawait.backend.asyncio",
            "backend-trio", "dev.jawait.backend.trio",
            "backend-sniffio", "dev.jawait.backend.sniffio",
            "vertx", "dev.jawait.vertx");

    @Test
    void eachJarComesWithSourcesJavadocAndAModuleName() throws IOException {
        for (Map.Entry<String, String> module : JARS.entrySet()) {
            Path target = Poms.ROOT.resolve(module.getKey()).resolve("target");
            String base = "jawait-" + module.getKey() + "-" + Poms.VERSION;
            for (String suffix : new String[] {"-sources.jar", "-javadoc.jar"}) {
                assertTrue(Files.isRegularFile(target.resolve(base + suffix)), base + suffix);
            }
            try (JarFile jar = new JarFile(target.resolve(base + ".jar").toFile())) {
                Attributes manifest = jar.getManifest().getMainAttributes();
                assertEquals(module.getValue(), manifest.getValue("Automatic-Module-Name"), base);
                assertEquals(Poms.VERSION, manifest.getValue("Implementation-Version"), base);
            }
            Element pom = Poms.read(Poms.ROOT.resolve(module.getKey()).resolve("pom.xml"));
            assertNotNull(Poms.text(pom, "name"), module.getKey() + " has a name");
            assertNotNull(Poms.text(pom, "description"), module.getKey() + " has a description");
        }
    }

    @Test
    void theParentAndTheBomCarryLicenseScmDevelopersAndUrl() throws IOException {
        for (String pom : new String[] {"pom.xml", "bom/pom.xml"}) {
            Element project = Poms.read(Poms.ROOT.resolve(pom));
            for (String[] path : new String[][] {
                {"name"},
                {"description"},
                {"url"},
                {"licenses", "license", "name"},
                {"licenses", "license", "url"},
                {"developers", "developer", "name"},
                {"scm", "connection"},
                {"scm", "developerConnection"},
                {"scm", "url"}
            }) {
                String value = Poms.text(project, path);
                assertTrue(value != null && !value.isEmpty(), pom + ": " + String.join("/", path));
            }
        }
        assertEquals(
                Poms.VERSION,
                Poms.text(Poms.read(Poms.ROOT.resolve("bom/pom.xml")), "version"),
                "the BOM, which has no parent, has the reactor's version");
    }
}
