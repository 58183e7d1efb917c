/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static dev.relax.testkit.SlackSignature.sign;
import static dev.relax.testkit.apps.SlackRequests.form;
import static dev.relax.testkit.apps.SlackRequests.now;
import static dev.relax.testkit.apps.SlackRequests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relax.core.MutexMode;
import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.App;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code RELAX_MUTEX_MODE=hash} deduplicates app events too, although their {@code event_timestamp} is the
 * broker's clock: a replayed signed request and a redelivered Socket Mode envelope are written once.
 */
class HashModeDedupeIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();

    private static TestBroker hashModeBroker(SlackSimulator slack, EmbeddedRedis redis) {
        return TestBroker.builder(slack, redis)
                .config(c ->
                        c.keysWithPrefix("hashdedupe" + IDS.incrementAndGet()).mutexMode(MutexMode.HASH))
                .start();
    }

    private static Map<String, String> slashCommand(String appId, String teamId, String triggerId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("team_id", teamId);
        form.put("channel_id", "C" + teamId);
        form.put("user_id", "U" + teamId);
        form.put("command", "/deploy");
        form.put("text", "prod");
        form.put("api_app_id", appId);
        form.put("response_url", "https://hooks.slack.com/commands/" + teamId + "/1/abc");
        if (triggerId != null) {
            form.put("trigger_id", triggerId);
        }
        return form;
    }

    @Test
    void aReplayedSignedSlashCommandIsWrittenOnce(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (TestBroker relax = hashModeBroker(slack, redis)) {
            String appId = "AHASH" + IDS.incrementAndGet();
            String secret = "hash-secret-" + appId;
            relax.client().registerApp(AppRegistration.eventsApi(appId, secret));
            String withTrigger = form(slashCommand(appId, "THASH1", "13345224609.738474920.8088930838d88f008e0"));
            String withoutTrigger = form(slashCommand(appId, "THASH2", null));

            String timestamp = awaitAccepted(relax, withTrigger, secret);
            // The same request again, byte for byte, well within the 5 minutes a signature is valid for.
            assertThat(command(relax, withTrigger, timestamp, sign(secret, timestamp, withTrigger))
                            .statusCode())
                    .isEqualTo(200);
            String now = now();
            assertThat(command(relax, withoutTrigger, now, sign(secret, now, withoutTrigger))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(command(relax, withoutTrigger, now, sign(secret, now, withoutTrigger))
                            .statusCode())
                    .isEqualTo(200);

            assertThat(relax.events())
                    .extracting(WireEvent::type, WireEvent::teamUid)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("slash_command", "THASH1"),
                            org.assertj.core.groups.Tuple.tuple("slash_command", "THASH2"));
            assertThat(relax.metrics().count("relax_events_deduplicated_total")).isEqualTo(2);
            assertThat(relax.redis().hkeys(relax.config().mutexKey()))
                    .as("app events have their own fields, none of them the Go broker's")
                    .hasSize(2)
                    .noneMatch(f -> f.startsWith("bot_message:"));
        }
    }

    @Test
    void aRedeliveredSocketModeEnvelopeIsWrittenOnce(SlackSimulator slack, EmbeddedRedis redis) {
        String id = "ASMHASH" + IDS.incrementAndGet();
        String appToken = "xapp-1-" + id + "-secret";
        App app = slack.app(id).appToken(appToken);
        try (TestBroker relax = hashModeBroker(slack, redis)) {
            relax.client().registerApp(AppRegistration.socketMode(id, appToken));
            await().atMost(WAIT).until(() -> app.openConnections() == 1);
            String payload =
                    "{\"team_id\":\"TSM1\",\"channel_id\":\"CSM1\",\"user_id\":\"USM1\",\"command\":\"/deploy\","
                            + "\"text\":\"prod\",\"api_app_id\":\"" + id + "\"}";
            String withoutTrigger = "{\"envelope_id\":\"env-" + id + "\",\"type\":\"slash_commands\","
                    + "\"accepts_response_payload\":true,\"payload\":" + payload + "}";
            String withTrigger = withoutTrigger
                    .replace("env-" + id, "env2-" + id)
                    .replace("\"text\":\"prod\"", "\"text\":\"prod\",\"trigger_id\":\"TR-" + id + "\"");

            app.sendRaw(withoutTrigger);
            app.sendRaw(withTrigger);
            // Slack's redelivery of an envelope it saw no ack for: same envelope id and payload.
            app.sendRaw(withoutTrigger.replace("{\"envelope_id\"", "{\"retry_attempt\":1,\"envelope_id\""));
            app.sendRaw(withTrigger.replace("{\"envelope_id\"", "{\"retry_attempt\":1,\"envelope_id\""));

            await().atMost(WAIT).until(() -> written(relax.metrics()) == 4);
            assertThat(relax.events()).hasSize(2).extracting(WireEvent::type).containsOnly("slash_command");
            assertThat(relax.metrics().count("relax_events_deduplicated_total")).isEqualTo(2);
        }
    }

    /** Events the writer finished with: pushed or found already pushed. */
    private static long written(MetricsPage page) {
        return page.count("relax_events_out_total") + page.count("relax_events_deduplicated_total");
    }

    /** Posts until the broker, which applies app_added asynchronously, accepts; returns the timestamp signed. */
    private static String awaitAccepted(TestBroker relax, String body, String secret) {
        AtomicReference<String> accepted = new AtomicReference<>();
        AtomicReference<String> timestamp = new AtomicReference<>(now());
        await().atMost(WAIT).until(() -> {
            int status = command(relax, body, timestamp.get(), sign(secret, timestamp.get(), body))
                    .statusCode();
            if (status == 200) {
                accepted.set(timestamp.get());
                return true;
            }
            if (status == 401) {
                // The app is not known yet: a fresh request later. A 503 (not stored within 2.5 s on a loaded
                // machine, kept in memory) is sent again as it was, as Slack would, and deduplicated.
                timestamp.set(now());
            }
            return false;
        });
        return accepted.get();
    }

    private static HttpResponse<String> command(TestBroker relax, String body, String timestamp, String signature)
            throws Exception {
        return post(relax, "/slack/commands", body, timestamp, signature, Map.of());
    }
}
