/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's Markdown: what docs/performance.md shows. */
class ReportTest {
    @Test
    void rendersOneColumnPerWebSocketLayerInTheOrderFiguresCameAndScenariosOfTheirOwn() {
        Report report = new Report(List.of("nv", " jdk"));
        report.header("the machine");
        report.note("redis-benchmark: 1/s");
        report.put("jdk", "connected", "1.00 s");
        report.put("nv", "connected", "2.00 s");
        report.put("nv", "only nv", "x");
        report.single("Socket Mode", "burst", "5/s");

        assertThat(report.markdown())
                .isEqualTo(
                        """
                        the machine

                        redis-benchmark: 1/s

                        | figure | websocket `nv` | websocket `jdk` |
                        | --- | --- | --- |
                        | connected | 2.00 s | 1.00 s |
                        | only nv | x |  |

                        | Socket Mode | |
                        | --- | --- |
                        | burst | 5/s |
                        """);
    }

    @Test
    void leavesOutTheMainTableWhenOnlyScenariosWithTablesOfTheirOwnRan() {
        Report report = new Report(List.of("nv", "jdk"));
        report.header("the machine");
        report.single("Socket Mode", "burst", "5/s");
        report.single("Relay overhead", "1 at once: overhead p50 / p95 / max", "1.0 ms / 2.0 ms / 3.0 ms");

        assertThat(report.markdown())
                .isEqualTo(
                        """
                        the machine

                        | Socket Mode | |
                        | --- | --- |
                        | burst | 5/s |

                        | Relay overhead | |
                        | --- | --- |
                        | 1 at once: overhead p50 / p95 / max | 1.0 ms / 2.0 ms / 3.0 ms |
                        """);
    }

    @Test
    void appendsTheFleetTableWithItsOwnColumnHeadingsAfterTheMainOne() {
        Report report = new Report(List.of("jdk"));
        report.header("the machine");
        report.put("jdk", "connected", "1.00 s");
        Report fleet = new Report(List.of("1 broker", "2 brokers"), c -> c);
        fleet.header("not shown");
        fleet.note("not shown either");
        fleet.put("2 brokers", "sockets per broker", "500");
        fleet.put("1 broker", "sockets per broker", "1,000");
        report.append(fleet);

        assertThat(report.markdown())
                .isEqualTo(
                        """
                        the machine

                        | figure | websocket `jdk` |
                        | --- | --- |
                        | connected | 1.00 s |

                        | figure | 1 broker | 2 brokers |
                        | --- | --- | --- |
                        | sockets per broker | 1,000 | 500 |
                        """);
    }

    @Test
    void aFleetOnlyRunShowsTheFleetTableRightAfterTheHeader() {
        Report report = new Report(List.of("jdk"));
        report.header("the machine");
        Report fleet = new Report(List.of("1 broker"), c -> c);
        fleet.put("1 broker", "sockets per broker", "1,000");
        report.append(fleet);

        assertThat(report.markdown())
                .isEqualTo(
                        """
                        the machine

                        | figure | 1 broker |
                        | --- | --- |
                        | sockets per broker | 1,000 |
                        """);
    }

    @Test
    void replacesOnlyWhatStandsBetweenTheMarkers(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("performance.md");
        Files.writeString(doc, "# Perf\n\nbefore\n" + Report.BEGIN + "\nold table\n" + Report.END + "\nafter\n");

        Report.replaceInDocs(doc, "new table\n");

        assertThat(Files.readString(doc))
                .isEqualTo("# Perf\n\nbefore\n" + Report.BEGIN + "\nnew table\n" + Report.END + "\nafter\n");
    }

    @Test
    void refusesADocumentWithoutMarkers(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("performance.md");
        Files.writeString(doc, "# Perf\n");

        assertThatThrownBy(() -> Report.replaceInDocs(doc, "t")).hasMessageContaining("bench:begin");
        assertThat(Files.readString(doc)).isEqualTo("# Perf\n");
    }
}
