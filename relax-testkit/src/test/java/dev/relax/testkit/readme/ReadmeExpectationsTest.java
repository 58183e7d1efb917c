/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's "Expectations, lifecycle and shortcuts" example is PingBotExpectationsIT, verbatim. */
class ReadmeExpectationsTest {
    @Test
    void readmeShowsTheExampleThatCiRuns() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/relax/testkit/readme/PingBotExpectationsIT.java"));
        String readme = Files.readString(Path.of("README.md"));

        String example = source.substring(source.indexOf("import static"));
        assertThat(readme).contains("```java\n" + example + "```");
    }
}
