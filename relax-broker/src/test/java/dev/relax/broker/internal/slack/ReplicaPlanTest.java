/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.protocol.BotId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReplicaPlanTest {
    private static final long TTL = 1_000;

    private final ReplicaPlan plan = new ReplicaPlan(2, TTL, new Random(7));

    private static BotId bot(int i) {
        return BotId.of("T" + i);
    }

    /** {@code n} bots, bot i held by {@code holders.apply(i)}. */
    private static Map<BotId, List<String>> snapshot(int n, java.util.function.IntFunction<String[]> holders) {
        Map<BotId, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(bot(i), Arrays.asList(holders.apply(i)));
        }
        return out;
    }

    private static Set<BotId> heldBy(String broker, Map<BotId, List<String>> snapshot) {
        return snapshot.entrySet().stream()
                .filter(e -> e.getValue().contains(broker))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    @Test
    void fairShareIsSlotsOverBrokersRoundedUpAndNeverMoreThanOneReplicaPerBot() {
        assertThat(ReplicaPlan.fairShare(300, 2, 3)).isEqualTo(200);
        assertThat(ReplicaPlan.fairShare(301, 2, 3)).isEqualTo(201);
        assertThat(ReplicaPlan.fairShare(300, 2, 4)).isEqualTo(150);
        assertThat(ReplicaPlan.fairShare(300, 2, 1)).isEqualTo(300);
        assertThat(ReplicaPlan.fairShare(0, 2, 3)).isZero();
    }

    @Test
    void anEmptyBrokerTakesItsShareOfFreeReplicasFewestHoldersFirst() {
        // Bots 0-9 have one holder (a), 10-19 none.
        Map<BotId, List<String>> s = snapshot(20, i -> i < 10 ? new String[] {"a", null} : new String[] {null, null});

        ReplicaPlan.Decision d = plan.decide("b", s, Set.of(), List.of("a", "b"), 0);

        assertThat(d.takeLimit()).isEqualTo(20); // share: ceil(40 / 2) = 20
        assertThat(d.take().subList(0, 10))
                .containsExactlyInAnyOrderElementsOf(new ArrayList<>(s.keySet()).subList(10, 20));
        assertThat(d.take()).hasSize(20);
        assertThat(d.shed()).isEmpty();
    }

    @Test
    void neverTakesABotItAlreadyHoldsAReplicaOf() {
        Map<BotId, List<String>> s = snapshot(4, i -> new String[] {"b", null});

        ReplicaPlan.Decision d = plan.decide("b", s, Set.of(bot(0), bot(1)), List.of("a", "b"), 0);

        // Bots 2 and 3 name b in Redis though b no longer counts them: still not candidates.
        assertThat(d.take()).isEmpty();
    }

    @Test
    void aBrokerAtItsShareLeavesAFreeReplicaUntilItStayedFreeForAWholeTtl() {
        // 3 bots, 2 replicas, 3 live brokers: a share of 2. b holds 2, bot 1 has a free replica.
        Map<BotId, List<String>> s = snapshot(3, i -> switch (i) {
            case 0 -> new String[] {"a", "b"};
            case 1 -> new String[] {"a", null};
            default -> new String[] {"b", "c"};
        });
        Set<BotId> mine = Set.of(bot(0), bot(2));

        assertThat(plan.decide("b", s, mine, List.of("a", "b", "c"), 0).take()).isEmpty();
        assertThat(plan.decide("b", s, mine, List.of("a", "b", "c"), TTL - 1).take())
                .isEmpty();
        ReplicaPlan.Decision late = plan.decide("b", s, mine, List.of("a", "b", "c"), TTL);
        assertThat(late.take()).containsExactly(bot(1));
        assertThat(late.takeLimit()).isEqualTo(1);
    }

    @Test
    void anOverShareBrokerHandsOverOnlyFullyHeldBotsThatAnUnderShareBrokerDoesNotHold() {
        // 3 brokers a, b, c hold 6 bots twice (share with 4 brokers: 3); d just joined with none.
        Map<BotId, List<String>> s = snapshot(6, i -> switch (i % 3) {
            case 0 -> new String[] {"a", "b"};
            case 1 -> new String[] {"b", "c"};
            default -> new String[] {"c", "a"};
        });
        // Bot 5 lost its second replica: handing it over would leave it with nobody.
        s.put(bot(5), Arrays.asList("c", null));
        Set<BotId> mineA = Set.of(bot(0), bot(2), bot(3));

        ReplicaPlan.Decision d = plan.decide("a", s, mineA, List.of("a", "b", "c", "d"), 0);

        // The share is ceil(12 / 4) = 3 and a holds 3: nothing to hand over.
        assertThat(d.shed()).isEmpty();

        Set<BotId> mineB = heldBy("b", s);
        ReplicaPlan.Decision forB = plan.decide("b", s, mineB, List.of("a", "b", "c", "d"), 0);
        assertThat(mineB).hasSize(4);
        assertThat(forB.shedLimit()).isEqualTo(1); // excess 1
        assertThat(forB.shed()).containsExactlyInAnyOrderElementsOf(mineB);
    }

    @Test
    void handsOverNothingWhileNoLiveBrokerIsUnderItsShare() {
        // a and b hold each of 4 bots once.
        Map<BotId, List<String>> s = snapshot(4, i -> new String[] {"a", "b"});
        // With c live the share is ceil(8 / 3) = 3: a is over by 1 and c short of 3, so a hands one over.
        ReplicaPlan.Decision withC = plan.decide("a", s, heldBy("a", s), List.of("a", "b", "c"), 0);
        assertThat(withC.shedLimit()).isEqualTo(1);

        ReplicaPlan.Decision alone = plan.decide("a", s, heldBy("a", s), List.of("a", "b"), 0);
        assertThat(alone.shed()).isEmpty();
        assertThat(alone.shedLimit()).isZero();
    }

    @Test
    void handsOverAtMostAQuarterOfTheShareInOneTick() {
        Map<BotId, List<String>> s = snapshot(400, i -> new String[] {"a", "b"});

        // Two new brokers: the share drops from 400 to 200; a is over by 200, the newcomers short 400.
        ReplicaPlan.Decision d = plan.decide("a", s, heldBy("a", s), List.of("a", "b", "c", "d"), 0);

        assertThat(d.shedLimit()).isEqualTo(50);
        assertThat(d.take()).isEmpty();
    }
}
