package dev.jawait.installtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The separate project in src/it (built by maven-invoker-plugin against the installed artifacts)
 * declares what the README's Install section tells users to, at the version being built.
 */
class ReadmeInstallTest {
    private static final String MARKER = "<!-- install-test: the Maven snippet";

    /** The Maven snippet of the README's Install section, as one XML element. */
    private static Element readmeSnippet() throws IOException {
        String readme = Files.readString(Poms.ROOT.resolve("README.md"));
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md has no '" + MARKER + "' before its Maven snippet");
        int start = readme.indexOf("```xml\n", marker) + "```xml\n".length();
        int end = readme.indexOf("```", start);
        return Poms.parse("<snippet>" + readme.substring(start, end) + "</snippet>");
    }

    private static Element separateProject() throws IOException {
        String pom = Files.readString(Poms.ROOT.resolve("install-test/src/it/vertx-service/pom.xml"))
                .replace("@project.version@", Poms.VERSION);
        return Poms.parse(pom);
    }

    @Test
    void theReadmeImportsTheBomOfTheVersionBeingBuilt() throws IOException {
        List<Poms.Dependency> managed = Poms.managed(readmeSnippet());
        assertEquals(List.of(new Poms.Dependency("dev.jawait", "jawait-bom", Poms.VERSION, "pom", "import")), managed);
        assertTrue(
                Files.readString(Poms.ROOT.resolve("README.md"))
                        .contains("implementation(platform(\"dev.jawait:jawait-bom:" + Poms.VERSION + "\"))"),
                "the Gradle snippet names the same BOM");
    }

    @Test
    void theSeparateProjectDeclaresWhatTheReadmeSays() throws IOException {
        Element readme = readmeSnippet();
        Element project = separateProject();
        assertTrue(Poms.managed(project).containsAll(Poms.managed(readme)), "dependencyManagement");
        List<Poms.Dependency> dependencies = Poms.dependencies(readme);
        assertEquals(
                List.of(
                        new Poms.Dependency("dev.jawait", "jawait-bridge-core", null, null, null),
                        new Poms.Dependency("dev.jawait", "jawait-backend-asyncio", null, null, null)),
                dependencies);
        assertTrue(Poms.dependencies(project).containsAll(dependencies), "dependencies");
        String argLine = Files.readString(Poms.ROOT.resolve("install-test/src/it/vertx-service/pom.xml"));
        assertTrue(
                argLine.contains("<argLine>--enable-native-access=ALL-UNNAMED -Xss8m</argLine>"),
                "the JVM options of the README");
        assertTrue(
                Files.readString(Poms.ROOT.resolve("README.md"))
                        .contains("java --enable-native-access=ALL-UNNAMED -Xss8m"),
                "the README names those options");
    }
}
