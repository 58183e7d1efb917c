/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
    @Test
    void defaultsToTheStandardProfileOnBothWebsocketLayersOutOfProcess() {
        RunOptions options = RunOptions.parse();

        assertThat(options.profile()).isEqualTo(Profile.named("standard"));
        assertThat(options.brokerMode()).isEqualTo("process");
        assertThat(options.transports()).containsExactly("nv", "jdk");
        assertThat(options.only()).containsExactly("rtm", "density", "socket-mode", "relay");
        assertThat(options.out()).isEqualTo(Path.of("relax-bench/target/bench-report.md"));
        assertThat(options.updateDocs()).isFalse();
    }

    @Test
    void densitiesReplaceTheProfilesConnectionCountsAndNameTheProfile() {
        RunOptions options = RunOptions.parse("--profile", "quick", "--densities", "1000, 3000", "--update-docs");

        assertThat(options.profile().densities()).isEqualTo(List.of(1000, 3000));
        assertThat(options.profile().name()).isEqualTo("quick (densities 1000, 3000)");
        assertThat(options.profile().teams()).isEqualTo(Profile.named("quick").teams());
        assertThat(options.updateDocs()).isTrue();
    }

    @Test
    void refusesAnArgumentThatIsNotAnOptionOrLacksItsValue() {
        assertThatThrownBy(() -> RunOptions.parse("quick"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected argument 'quick'");
        assertThatThrownBy(() -> RunOptions.parse("--profile"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--profile needs a value");
    }

    @Test
    void aColumnAddsItsBrokerVariablesToTheHarnessDefaults() {
        assertThat(RunOptions.brokerEnv("jdk:RELAX_WRITE_LINGER=0+RELAX_PING_INTERVAL=10"))
                .containsEntry("RELAX_WEBSOCKET", "jdk")
                .containsEntry("RELAX_LOGIN_CONCURRENCY", "512")
                .containsEntry("RELAX_WRITE_LINGER", "0")
                .containsEntry("RELAX_PING_INTERVAL", "10");
        assertThatThrownBy(() -> RunOptions.brokerEnv("nv:oops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'oops' in column 'nv:oops' is not NAME=value");
    }

    @Test
    void theGoBrokersBinaryAddsItsColumnFirstUnlessTheColumnsAreGiven() {
        Map<String, String> env = Map.of("RELAX_GO_PEER", "/work/go-peer/relax-go");

        RunOptions byDefault = RunOptions.parse(env);
        RunOptions given = RunOptions.parse(env, "--transports", "jdk, go");

        assertThat(byDefault.goPeer()).isEqualTo(Path.of("/work/go-peer/relax-go"));
        assertThat(byDefault.transports()).containsExactly("go", "nv", "jdk");
        assertThat(given.transports()).containsExactly("jdk", "go");
        assertThat(RunOptions.parse().goPeer()).isNull();
    }

    @Test
    void refusesTheGoColumnWithoutTheGoBrokersBinary() {
        assertThatThrownBy(
                        () -> RunOptions.parse(Map.of("RELAX_GO_PEER", " "), "--transports", "go:RELAX_LOG_LEVEL=info"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the 'go' column needs RELAX_GO_PEER, the path of the Go broker's binary"
                        + " (docs/performance.md, Against the Go broker)");
        assertThat(RunOptions.isGoPeer("go:RELAX_LOG_LEVEL=info")).isTrue();
        assertThat(RunOptions.isGoPeer("gorilla")).isFalse();
    }

    @Test
    void theFleetGridDefaultsToOneToThreeBrokersOfAThousandTeamsEveryoneAndTwoReplicas() {
        FleetPlan plan = RunOptions.parse().fleet();

        assertThat(plan.rate()).isEqualTo(2000);
        assertThat(plan.burst()).isEqualTo(50_000);
        assertThat(plan.rows().stream().map(FleetPlan.Row::label))
                .containsExactly(
                        "1 broker, 1,000 teams, R=all",
                        "2 brokers, 1,000 teams, R=all",
                        "3 brokers, 1,000 teams, R=all",
                        "3 brokers, 1,000 teams, R=2");
    }

    @Test
    void aReplicaCountOfAtLeastTheBrokersIsLeftOutAndTeamsAreOutermost() {
        FleetPlan plan = RunOptions.parse("--brokers", "2,4", "--teams", "10,20", "--replicas", "2,all")
                .fleet();

        assertThat(plan.rows())
                .containsExactly(
                        new FleetPlan.Row(2, 10, FleetPlan.ALL),
                        new FleetPlan.Row(4, 10, 2),
                        new FleetPlan.Row(4, 10, FleetPlan.ALL),
                        new FleetPlan.Row(2, 20, FleetPlan.ALL),
                        new FleetPlan.Row(4, 20, 2),
                        new FleetPlan.Row(4, 20, FleetPlan.ALL));
        assertThat(new FleetPlan.Row(4, 10, 2).copies()).isEqualTo(2);
        assertThat(new FleetPlan.Row(4, 10, FleetPlan.ALL).copies()).isEqualTo(4);
    }

    @Test
    void refusesAFleetListThatIsNotNumbers() {
        assertThatThrownBy(() -> RunOptions.parse("--brokers", "1,two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--brokers takes numbers separated by commas, was '1,two'");
        assertThatThrownBy(() -> RunOptions.parse("--replicas", "all,-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--replicas takes numbers separated by commas, was 'all,-1'");
    }
}
