/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```java} blocks of a Markdown file, as Java sources a compiler can check. The convention, for
 * whoever writes docs:
 *
 * <ul>
 *   <li>A block that declares a top-level class (or record, interface, enum) is a whole source file and is
 *       compiled as shown, imports included.
 *   <li>Any other block is statements: its leading {@code import} lines stay imports, and the rest becomes
 *       the body of a method that may throw. What the statements use but a reader brings (a {@code
 *       relax} client, a logger) is declared on the line just above the fence, in a comment the rendered
 *       page hides: {@code <!-- snippet-context: RelaxClient relax; org.slf4j.Logger log; -->}. The text is
 *       pasted as members of the wrapping class, so it uses the block's imports or full names.
 *   <li>{@code <!-- snippet: skip -->} above the fence leaves a block out, for the few that are deliberately
 *       partial.
 * </ul>
 */
record DocSnippets(Path file, List<Snippet> snippets) {
    private static final Pattern CONTEXT = Pattern.compile("<!--\\s*snippet-context:(.*)-->");
    private static final Pattern SKIP = Pattern.compile("<!--\\s*snippet:\\s*skip\\b.*-->");
    private static final Pattern TYPE = Pattern.compile(
            "^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+(\\w+)",
            Pattern.MULTILINE);

    /** One block: where it starts (1-based line of the fence), and the source made of it, or null if skipped. */
    record Snippet(Path file, int line, String className, String source) {
        boolean skipped() {
            return source == null;
        }

        String where() {
            return file + ":" + line;
        }
    }

    static DocSnippets read(Path file) throws IOException {
        return parse(file, Files.readAllLines(file));
    }

    static DocSnippets parse(Path file, List<String> lines) {
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int fence = i;
            StringBuilder body = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                body.append(lines.get(i)).append('\n');
            }
            String above = fence > 0 ? lines.get(fence - 1) : "";
            String name = "Snippet" + (fence + 1);
            if (SKIP.matcher(above).find()) {
                snippets.add(new Snippet(file, fence + 1, name, null));
                continue;
            }
            Matcher context = CONTEXT.matcher(above);
            snippets.add(source(file, fence + 1, name, body.toString(), context.find() ? context.group(1) : ""));
        }
        return new DocSnippets(file, List.copyOf(snippets));
    }

    private static Snippet source(Path file, int line, String name, String body, String context) {
        Matcher type = TYPE.matcher(body);
        if (type.find()) {
            return new Snippet(file, line, type.group(1), body);
        }
        StringBuilder imports = new StringBuilder();
        StringBuilder statements = new StringBuilder();
        boolean head = true;
        for (String l : body.split("\n", -1)) {
            if (head && (l.startsWith("import ") || l.isBlank())) {
                imports.append(l).append('\n');
            } else {
                head = false;
                statements.append(l).append('\n');
            }
        }
        String source = imports + "class " + name + " {\n" + context.strip() + "\n"
                + "void snippet() throws Exception {\n" + statements + "}\n}\n";
        return new Snippet(file, line, name, source);
    }
}
