/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * relax-bom lists every module users depend on, so that importing it pins them all to one version: each
 * module of the root pom except the BOM itself and the two that are never published (the examples and the
 * load harness).
 */
class BomTest {
    private static final Set<String> NOT_PUBLISHED = Set.of("relax-bom", "relax-examples", "relax-bench");

    private static Document read(Path pom) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static List<String> texts(NodeList nodes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().strip());
        }
        return out;
    }

    @Test
    void theBomListsEveryPublishedModuleOfTheBuild() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(Files.exists(root.resolve("relax-bom/pom.xml")))
                .as("run from a module of the build")
                .isTrue();

        List<String> modules = texts(read(root.resolve("pom.xml")).getElementsByTagName("module")).stream()
                .filter(m -> !NOT_PUBLISHED.contains(m))
                .toList();
        Element management = (Element) read(root.resolve("relax-bom/pom.xml"))
                .getElementsByTagName("dependencyManagement")
                .item(0);
        List<String> listed = texts(management.getElementsByTagName("artifactId"));

        assertThat(modules).contains("relax-core", "relax-broker", "relax-client", "relax-testkit");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(modules);
    }
}
