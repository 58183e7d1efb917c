/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.RedisAddress;
import dev.relax.core.event.WireEvent;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TcpProxy;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import io.lettuce.core.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code RELAX_RTM_REPLICAS=2} on a fleet whose membership changes under load: 300 bots, each held by
 * exactly two brokers, evenly, through a crash, a join and a clean stop, while messages flow to every
 * workspace and each reaches the events queue exactly once. Which broker holds what is read from the
 * lease keys in Redis ({@code <bots key>:rtm_lease:<team>:<replica>}), the sockets from the simulator,
 * and each broker's share from its {@code relax_rtm_leases} gauge.
 */
class RtmReplicasIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final int BOTS = 300;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration TTL = Duration.ofSeconds(2);
    /** Broker b's leases would lapse only after this: b's bots re-held sooner prove it gave them back. */
    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    /** A dead broker's bots are re-held once its leases lapse (TTL), plus a tick and the logins; CI slack. */
    private static final Duration TAKEOVER = TTL.multipliedBy(7);

    private record Team(Workspace ws, Bot bot, User user, Channel channel) {}

    private static final AtomicInteger RUNS = new AtomicInteger();

    @Test
    void eachBotStaysOnTwoBrokersThroughACrashAJoinAndACleanStopAndEveryMessageArrivesOnce(
            SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        String run = "RR" + RUNS.incrementAndGet();
        String keys = "replicas" + run;
        List<Team> teams = new ArrayList<>();
        for (int i = 0; i < BOTS; i++) {
            Workspace ws = slack.workspace("T" + run + "X" + i);
            teams.add(new Team(
                    ws,
                    ws.bot("xoxb-" + run + "-" + i, "UB" + run + "X" + i, "relaxbot"),
                    ws.user("UA" + run + "X" + i, "alice"),
                    ws.channel("C" + run + "X" + i, "general")));
        }
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        TcpProxy proxy = TcpProxy.start(redis.host(), redis.port());
        List<TestBroker> brokers = new ArrayList<>();
        try {
            TestBroker a = broker(slack, redis, keys, RedisAddress.of("127.0.0.1", proxy.port()), TTL);
            brokers.add(a);
            TestBroker b = broker(slack, redis, keys, RedisAddress.of(redis.host(), redis.port()), LONG_TTL);
            brokers.add(b);
            TestBroker c = broker(slack, redis, keys, RedisAddress.of(redis.host(), redis.port()), TTL);
            brokers.add(c);
            teams.forEach(t -> c.register(t.bot()));

            // (1) Spread: two distinct brokers per bot, 200 each (600 replicas over 3 brokers).
            await().atMost(WAIT).until(() -> spread(c, teams, List.of(a, b, c), 200));

            ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            sender.scheduleAtFixedRate(
                    () -> {
                        int n = next.getAndIncrement();
                        Team t = teams.get(n % BOTS);
                        String text = "replicated-" + n;
                        t.ws().as(t.user()).post(t.channel(), text);
                        sent.add(text);
                    },
                    0,
                    5,
                    TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> sent.size() > 100);

            // (2) a crashes: cut off from Redis for good, then closed, so it cannot give its leases back.
            proxy.close();
            a.close();
            brokers.remove(a);
            await().atMost(TAKEOVER).until(() -> spread(c, teams, List.of(b, c), 300));
            assertThat(holderIds(c, teams)).hasSize(2);

            // (3) d joins and takes its fair share from b and c.
            TestBroker d = broker(slack, redis, keys, RedisAddress.of(redis.host(), redis.port()), TTL);
            brokers.add(d);
            await().atMost(WAIT).until(() -> spread(c, teams, List.of(b, c, d), 200));

            // (4) b stops cleanly: its leases are given back, so c and d take them long before they could lapse.
            b.close();
            brokers.remove(b);
            long stopped = System.nanoTime();
            await().atMost(LONG_TTL.dividedBy(3)).until(() -> spread(c, teams, List.of(c, d), 300));
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(LONG_TTL.dividedBy(3));

            sender.shutdown();
            assertThat(sender.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            Set<String> expected = new HashSet<>(sent);
            await().atMost(WAIT).until(() -> replicated(c).size() >= expected.size());
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> replicated(c).size() == expected.size());
            List<String> arrived = replicated(c);
            assertThat(arrived).doesNotHaveDuplicates();
            assertThat(new HashSet<>(arrived)).isEqualTo(expected);
        } finally {
            sender.shutdownNow();
            brokers.forEach(TestBroker::close);
            proxy.close();
        }
    }

    @Test
    void withoutReplicasEveryBrokerHoldsEveryBotAndWritesNoLeaseOrRegistryKey(
            SlackSimulator slack, EmbeddedRedis redis) {
        String run = "RR" + RUNS.incrementAndGet();
        Workspace ws = slack.workspace("T" + run);
        Bot bot = ws.bot("xoxb-" + run, "UB" + run, "relaxbot");
        try (TestBroker a = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("plain" + run))
                        .start();
                TestBroker b = TestBroker.builder(slack, redis)
                        .config(c -> c.keysWithPrefix("plain" + run))
                        .start()) {
            a.register(bot);

            await().atMost(WAIT).until(() -> ws.openConnections() == 2);
            assertThat(a.redis().keys(a.config().botsKey() + ":rtm*")).isEmpty();
            assertThat(a.metrics().find("relax_rtm_leases")).isEmpty();
        }
    }

    private static TestBroker broker(
            SlackSimulator slack, EmbeddedRedis redis, String keys, RedisAddress address, Duration ttl) {
        return TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix(keys).redis(address))
                .options(o -> o.rtmReplicas(2)
                        .appLeaseTtl(ttl)
                        .pingInterval(Duration.ofSeconds(1))
                        .shutdownTimeout(Duration.ofSeconds(1)))
                .start();
    }

    /** The texts of the test's messages on the events queue, in order. */
    private static List<String> replicated(TestBroker broker) {
        return broker.events().stream()
                .map(WireEvent::text)
                .filter(text -> text.startsWith("replicated-"))
                .toList();
    }

    /** Each bot's replica leases now: the holders' ids, null where free. */
    private static Map<Team, List<String>> holders(TestBroker broker, List<Team> teams) {
        String botsKey = broker.config().botsKey();
        List<String> leaseKeys = new ArrayList<>();
        for (Team t : teams) {
            leaseKeys.add(botsKey + ":rtm_lease:" + t.bot().teamId() + ":0");
            leaseKeys.add(botsKey + ":rtm_lease:" + t.bot().teamId() + ":1");
        }
        List<KeyValue<String, String>> values = broker.redis().mget(leaseKeys.toArray(String[]::new));
        Map<Team, List<String>> out = new HashMap<>();
        for (int i = 0; i < teams.size(); i++) {
            List<String> h = new ArrayList<>();
            for (KeyValue<String, String> kv : values.subList(2 * i, 2 * i + 2)) {
                h.add(kv.hasValue() ? kv.getValue() : null);
            }
            out.put(teams.get(i), h);
        }
        return out;
    }

    private static Set<String> holderIds(TestBroker broker, List<Team> teams) {
        return holders(broker, teams).values().stream().flatMap(List::stream).collect(Collectors.toSet());
    }

    /**
     * True when every bot has two replica leases held by two different brokers and two open sockets, the
     * leases are held by exactly {@code live}, and each of them holds {@code share}.
     */
    private static boolean spread(TestBroker any, List<Team> teams, List<TestBroker> live, int share) {
        Map<Team, List<String>> holders = holders(any, teams);
        for (Team t : teams) {
            List<String> h = holders.get(t);
            if (h.contains(null) || h.get(0).equals(h.get(1)) || t.ws().openConnections() != 2) {
                return false;
            }
        }
        if (holderIds(any, teams).size() != live.size()) {
            return false;
        }
        return live.stream().allMatch(broker -> broker.metrics().count("relax_rtm_leases") == share);
    }
}
