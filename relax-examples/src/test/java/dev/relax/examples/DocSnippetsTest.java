/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet a user would paste from README.md, relax-testkit/README.md and docs/*.md compiles, as
 * shown, against this module's test classpath (the client, the broker, the testkit, JUnit, AssertJ,
 * Awaitility). {@link DocSnippets} has the convention for statement-only and skipped blocks.
 */
class DocSnippetsTest {
    /** Deliberately partial blocks stay few: each one is a block a user cannot paste. */
    private static final int MAX_SKIPPED = 2;

    @TempDir
    Path classes;

    @Test
    void everyJavaSnippetOfTheDocsCompiles() throws IOException {
        Path root = repositoryRoot();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("relax-testkit/README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<DocSnippets.Snippet> snippets = new ArrayList<>();
        for (Path doc : docs) {
            snippets.addAll(DocSnippets.read(doc).snippets());
        }

        List<String> failures = new ArrayList<>();
        for (DocSnippets.Snippet s : snippets) {
            if (!s.skipped()) {
                failures.addAll(compile(s));
            }
        }

        assertThat(snippets).as("java blocks found").hasSizeGreaterThanOrEqualTo(8);
        assertThat(snippets.stream().filter(DocSnippets.Snippet::skipped))
                .as("blocks marked <!-- snippet: skip -->")
                .hasSizeLessThanOrEqualTo(MAX_SKIPPED);
        assertThat(failures).as("snippets that do not compile").isEmpty();
    }

    @Test
    void theTestkitReadmesFirstExampleIsTheTestCiRuns() throws IOException {
        Path root = repositoryRoot();
        String it = Files.readString(
                root.resolve("relax-examples/src/test/java/dev/relax/examples/readme/PingPongIT.java"));
        DocSnippets.Snippet first = DocSnippets.read(root.resolve("relax-testkit/README.md"))
                .snippets()
                .getFirst();

        assertThat(first.source()).isEqualTo(it.substring(it.indexOf("import static")));
    }

    @Test
    void aSnippetMissingAnImportFails() {
        DocSnippets doc = DocSnippets.parse(
                Path.of("example.md"),
                List.of("text", "<!-- snippet-context: String token; -->", "```java", "RelaxClient c = null;", "```"));

        assertThat(compile(doc.snippets().getFirst()))
                .singleElement()
                .asString()
                .startsWith("example.md:3: ")
                .contains("cannot find symbol")
                .contains("class RelaxClient");
    }

    @Test
    void aStatementSnippetKeepsItsImportsAndContext() {
        DocSnippets doc = DocSnippets.parse(
                Path.of("example.md"),
                List.of(
                        "<!-- snippet-context: dev.relax.client.RelaxClient relax; -->",
                        "```java",
                        "import java.time.Duration;",
                        "",
                        "Duration d = Duration.ofSeconds(1);",
                        "relax.close();",
                        "```",
                        "<!-- snippet: skip -->",
                        "```java",
                        "...",
                        "```"));

        assertThat(doc.snippets()).hasSize(2);
        assertThat(compile(doc.snippets().get(0))).isEmpty();
        assertThat(doc.snippets().get(1).skipped()).isTrue();
    }

    private List<String> compile(DocSnippets.Snippet snippet) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject source =
                new SimpleJavaFileObject(
                        URI.create("string:///" + snippet.className() + ".java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return snippet.source();
                    }
                };
        List<String> options = List.of(
                "-classpath", classpath(), "-d", classes.toString(), "-proc:none", "-implicit:none", "-Xlint:none");
        compiler.getTask(null, null, diagnostics, options, null, List.of(source))
                .call();
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> snippet.where() + ": " + d.getMessage(Locale.ROOT) + "\n    at line " + d.getLineNumber()
                        + " of\n" + snippet.source())
                .toList();
    }

    private static String classpath() {
        // Surefire runs tests from a manifest-only jar; it names the real classpath in this property.
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, cp.split(File.pathSeparator));
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("relax-testkit"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("the repository root above " + Path.of("").toAbsolutePath())
                .isNotNull();
        return dir;
    }
}
