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
    void followsEachColumnOfOursWithItsRatioToTheGoBroker() {
        Report report = new Report(List.of("go", "jdk"));
        report.header("the machine");
        report.put("go", "RTM 1000: broker RSS (per team)", "63 MB (64.5 KB)");
        report.put("jdk", "RTM 1000: broker RSS (per team)", "252 MB (258.0 KB)");
        report.put("go", "RTM 1000: burst of 200,000 events: events/s into Redis", "18,100/s (simulator queued 1/s)");
        report.put("jdk", "RTM 1000: burst of 200,000 events: events/s into Redis", "66,900/s (simulator queued 1/s)");
        report.put("jdk", "RTM 1000 → 5000: per added connection: RSS, heap, threads", "30.0 KB, 2.0 KB, 0.00");

        assertThat(report.markdown())
                .isEqualTo(
                        """
                        the machine

                        | figure | Go broker | websocket `jdk` | `jdk` vs Go |
                        | --- | --- | --- | --- |
                        | RTM 1000: broker RSS (per team) | 63 MB (64.5 KB) | 252 MB (258.0 KB) | 4.00x worse |
                        | RTM 1000: burst of 200,000 events: events/s into Redis | 18,100/s (simulator queued 1/s) \
                        | 66,900/s (simulator queued 1/s) | 3.70x better |
                        | RTM 1000 → 5000: per added connection: RSS, heap, threads |  | 30.0 KB, 2.0 KB, 0.00 |  |
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
