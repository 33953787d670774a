package dev.jawait.installtest;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Reading POM text: the repository's own files, and the README's snippet. */
final class Poms {
    private Poms() {}

    /** The root of the jawait checkout (the tests run in install-test/). */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** The version being built, from the build. */
    static final String VERSION = System.getProperty("jawait.version");

    /** A dependency as a POM states it; absent elements are null. */
    record Dependency(String groupId, String artifactId, String version, String type, String scope) {}

    static Element parse(String xml) {
        try {
            return DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml)))
                    .getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("not well-formed XML: " + e.getMessage() + "\n" + xml, e);
        }
    }

    static Element read(Path pom) throws IOException {
        return parse(Files.readString(pom));
    }

    /** The child elements of {@code parent} named {@code name}. */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE
                    && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }

    /** The text of the element at {@code path} (child names) below {@code parent}, or null. */
    static String text(Element parent, String... path) {
        Element current = parent;
        for (String name : path) {
            List<Element> next = children(current, name);
            if (next.isEmpty()) {
                return null;
            }
            current = next.get(0);
        }
        return current.getTextContent().strip();
    }

    /** The dependencies listed in {@code container} (a {@code <dependencies>} element's parent). */
    static List<Dependency> dependencies(Element container) {
        List<Dependency> found = new ArrayList<>();
        for (Element list : children(container, "dependencies")) {
            for (Element d : children(list, "dependency")) {
                found.add(new Dependency(
                        text(d, "groupId"),
                        text(d, "artifactId"),
                        text(d, "version"),
                        text(d, "type"),
                        text(d, "scope")));
            }
        }
        return found;
    }

    /** The managed dependencies of {@code container} (a {@code <dependencyManagement>} element's parent). */
    static List<Dependency> managed(Element container) {
        List<Dependency> found = new ArrayList<>();
        for (Element management : children(container, "dependencyManagement")) {
            found.addAll(dependencies(management));
        }
        return found;
    }
}
