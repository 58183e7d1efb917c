/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static dev.relax.testkit.SlackSignature.sign;
import static dev.relax.testkit.apps.SlackRequests.form;
import static dev.relax.testkit.apps.SlackRequests.now;
import static dev.relax.testkit.apps.SlackRequests.post;
import static dev.relax.testkit.apps.SlackRequests.postSigned;
import static dev.relax.testkit.apps.SlackRequests.statusOfHeadersOnly;
import static dev.relax.testkit.apps.SlackRequests.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.broker.BrokerOptions;
import dev.relax.core.event.WireEvent;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.EventDelivery;
import dev.relax.testkit.MetricsPage;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker's Events API endpoints ({@code /slack/events}, {@code /slack/commands}, {@code
 * /slack/interactive}) end to end: the simulator (or a hand-made request) signs and posts, the broker
 * verifies, translates and writes to Redis.
 */
class EventsApiIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK = SlackSimulatorExtension.create()
            .withRedis()
            // Slack's own retry schedule is 0 s, 1 min, 5 min; quicker here. The timeout is above the
            // broker's 2.5 s, so that its 503 is seen as such.
            .configure(b -> b.eventsTimeout(Duration.ofSeconds(5))
                    .eventsRetryDelays(Duration.ofMillis(200), Duration.ofMillis(500))
                    .maxRetries(6));

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EventsApiApp setup(SlackSimulator slack, TestBroker relax) {
        int n = IDS.incrementAndGet();
        return EventsApiApp.register(slack, relax, "AEV" + n, "signing-secret-" + n, "TEV" + n);
    }

    @Test
    void answersSlacksUrlVerificationAndRecordsIt(SlackSimulator slack, EmbeddedRedis redis) {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);

            s.pointAt(relax, WAIT);

            assertThat(slack.recordings().eventDeliveries(s.app().id()))
                    .filteredOn(d -> d.type().equals("url_verification"))
                    .anySatisfy(d -> assertThat(d.status()).isEqualTo(200));
            assertThat(relax.events()).isEmpty();
        }
    }

    @Test
    void aMentionArrivesOnceAsMessageNewWithTheAppAndInstallation(SlackSimulator slack, EmbeddedRedis redis) {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);
            s.pointAt(relax, WAIT);

            String ts = s.ws().as(s.alice()).mention(s.bot(), s.general(), "deploy please");

            // Slack sends it twice, as message and as app_mention, each with its own event_id.
            await().atMost(WAIT)
                    .until(() -> s.callbacks(slack).stream()
                                    .filter(EventDelivery::delivered)
                                    .count()
                            == 2);
            List<WireEvent> events = relax.events();
            assertThat(events).hasSize(1);
            WireEvent e = events.getFirst();
            assertThat(e.type()).isEqualTo("message_new");
            assertThat(e.teamUid()).isEqualTo(s.ws().id());
            assertThat(e.userUid()).isEqualTo(s.alice().id());
            assertThat(e.channelUid()).isEqualTo(s.general().id());
            assertThat(e.text()).isEqualTo("<@" + s.bot().userId() + "> deploy please");
            assertThat(e.timestamp()).isEqualTo(ts);
            assertThat(e.relaxBotUid()).isEqualTo(s.bot().userId());
            assertThat(e.appId()).isEqualTo(s.app().id());
            assertThat(e.extraText("slack_event_id")).startsWith("Ev");
        }
    }

    @Test
    void aReactionArrives(SlackSimulator slack, EmbeddedRedis redis) {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);
            s.pointAt(relax, WAIT);
            String ts = s.ws().as(s.alice()).post(s.general(), "ship it");

            s.ws().as(s.alice()).react(s.general(), ts, "rocket");

            await().atMost(WAIT).until(() -> relax.events().size() == 2);
            // Events API requests travel in parallel: Slack promises no order, nor does the queue then.
            assertThat(relax.events())
                    .extracting(WireEvent::type)
                    .containsExactlyInAnyOrder("message_new", "reaction_added");
            WireEvent e = relax.events().stream()
                    .filter(x -> x.type().equals("reaction_added"))
                    .findFirst()
                    .orElseThrow();
            assertThat(e.text()).isEqualTo("rocket");
            assertThat(e.timestamp()).isEqualTo(ts);
            assertThat(e.relaxBotUid()).isEqualTo(s.bot().userId());
            assertThat(e.appId()).isEqualTo(s.app().id());
            // Each is timed from its request's receipt and from Slack's event_time (the writer times an
            // event right after writing it: it may be on the queue a moment before).
            await().atMost(WAIT)
                    .until(() -> relax.metrics()
                                    .find("relax_event_write_seconds_count{transport=\"events_api\"}")
                                    .orElse(0)
                            == 2);
            assertThat(relax.metrics()
                            .histogram("relax_event_age_seconds{transport=\"events_api\"}")
                            .count())
                    .isEqualTo(2);
        }
    }

    @Test
    void eachWorkspaceOfOneAppGetsItsOwnTeamAndBot(SlackSimulator slack, EmbeddedRedis redis) {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp one = setup(slack, relax);
            EventsApiApp two = one.installIn(slack, relax, one.ws().id() + "B");
            one.pointAt(relax, WAIT);

            one.ws().as(one.alice()).post(one.general(), "from one");
            two.ws().as(two.alice()).post(two.general(), "from two");

            await().atMost(WAIT).until(() -> relax.events().size() == 2);
            Map<String, WireEvent> byText = relax.events().stream().collect(Collectors.toMap(WireEvent::text, e -> e));
            assertThat(byText.get("from one").teamUid()).isEqualTo(one.ws().id());
            assertThat(byText.get("from one").relaxBotUid()).isEqualTo(one.bot().userId());
            assertThat(byText.get("from two").teamUid()).isEqualTo(two.ws().id());
            assertThat(byText.get("from two").relaxBotUid()).isEqualTo(two.bot().userId());
            assertThat(byText.values())
                    .extracting(WireEvent::appId)
                    .containsOnly(one.app().id());
        }
    }

    @Test
    void refusesForgedStaleMalformedOversizedAndUnknownRequestsAndWritesNothing(
            SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);
            s.pointAt(relax, WAIT);
            String now = now();
            String body = eventCallback(s, "EvBAD1", "forged");
            MetricsPage before = relax.metrics();

            assertThat(post(relax, "/slack/events", body, now, sign("another-secret", now, body), Map.of())
                            .statusCode())
                    .isEqualTo(401);
            String old = Long.toString(System.currentTimeMillis() / 1000 - 600);
            assertThat(post(relax, "/slack/events", body, old, sign(s.secret(), old, body), Map.of())
                            .statusCode())
                    .isEqualTo(401);
            String broken = "{\"type\":\"event_callback\",\"api_app_id\":";
            assertThat(post(relax, "/slack/events", broken, now, sign(s.secret(), now, broken), Map.of())
                            .statusCode())
                    .isEqualTo(400);
            assertThat(post(
                                    relax,
                                    "/slack/events/" + s.app().id(),
                                    broken,
                                    now,
                                    sign(s.secret(), now, broken),
                                    Map.of())
                            .statusCode())
                    .isEqualTo(400);
            String huge = eventCallback(s, "EvBAD2", "x".repeat(BrokerOptions.DEFAULT_HTTP_MAX_BODY + 10));
            assertThat(statusOfHeadersOnly(relax, "/slack/events", huge.length(), now, sign(s.secret(), now, huge)))
                    .isEqualTo(400);
            String stranger = body.replace(s.app().id(), "ANOBODY");
            assertThat(post(relax, "/slack/events", stranger, now, sign(s.secret(), now, stranger), Map.of())
                            .statusCode())
                    .isEqualTo(401);
            // Names no app and is no small url_verification: refused before any signature is computed.
            String anonymous = "{\"type\":\"event_callback\",\"event\":{\"text\":\"" + "y".repeat(8000) + "\"}}";
            assertThat(post(relax, "/slack/events", anonymous, now, sign(s.secret(), now, anonymous), Map.of())
                            .statusCode())
                    .isEqualTo(401);
            assertThat(HTTP.send(
                                    HttpRequest.newBuilder(url(relax, "/slack/events"))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(405);

            // A good request after the bad ones: once it is on the queue, anything written before it is too.
            String good = eventCallback(s, "EvGOOD", "genuine");
            assertThat(post(relax, "/slack/events", good, now, sign(s.secret(), now, good), Map.of())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(relax.events()).extracting(WireEvent::text).containsExactly("genuine");
            MetricsPage after = relax.metrics();
            Map<String, Long> counted = new LinkedHashMap<>();
            for (String result : List.of(
                    "bad_signature", "stale", "malformed", "too_large", "unknown_app", "method_not_allowed", "ok")) {
                String line = "relax_events_api_requests_total{result=\"" + result + "\"}";
                counted.put(result, after.count(line) - before.count(line));
            }
            assertThat(counted)
                    .isEqualTo(Map.of(
                            "bad_signature", 1L,
                            "stale", 1L,
                            "malformed", 2L,
                            "too_large", 1L,
                            "unknown_app", 2L,
                            "method_not_allowed", 1L,
                            "ok", 1L));
        }
    }

    @Test
    void aSlackRetryOfTheSameEventIsWrittenOnceAndCounted(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);
            s.pointAt(relax, WAIT);
            String body = eventCallback(s, "EvRETRY1", "only once");
            String now = now();

            assertThat(post(relax, "/slack/events", body, now, sign(s.secret(), now, body), Map.of())
                            .statusCode())
                    .isEqualTo(200);
            String later = Long.toString(System.currentTimeMillis() / 1000 + 1);
            Map<String, String> retry = Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout");
            assertThat(post(relax, "/slack/events", body, later, sign(s.secret(), later, body), retry)
                            .statusCode())
                    .isEqualTo(200);

            assertThat(relax.events()).extracting(WireEvent::text).containsExactly("only once");
            assertThat(relax.metrics().count("relax_events_api_retries_total")).isEqualTo(1);
        }
    }

    @Test
    void anEventSlackSendsWhileRedisIsDownIsRefusedThenArrivesOnce(SlackSimulator slack, EmbeddedRedis redis) {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);
            s.pointAt(relax, WAIT);
            try {
                redis.stop();
                await().atMost(WAIT).until(() -> !relax.broker().isReady());

                s.ws().as(s.alice()).post(s.general(), "during the outage");

                await().atMost(WAIT).until(() -> s.callbacks(slack).stream().anyMatch(d -> d.status() == 503));
            } finally {
                redis.restart();
            }

            await().atMost(WAIT).until(() -> relax.events().size() == 1);
            // Slack retries until one attempt is answered 200; that retry must not add a second event.
            await().atMost(WAIT).until(() -> s.callbacks(slack).stream().anyMatch(EventDelivery::delivered));
            assertThat(s.callbacks(slack).getFirst().delivered()).isFalse();
            assertThat(relax.events()).extracting(WireEvent::text).containsExactly("during the outage");
        }
    }

    @Test
    void aSlashCommandFormBecomesSlashCommandWithItsPayload(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);
            Map<String, String> form = new LinkedHashMap<>();
            form.put("token", "verification-token");
            form.put("team_id", s.ws().id());
            form.put("team_domain", "example");
            form.put("channel_id", s.general().id());
            form.put("channel_name", "general");
            form.put("user_id", s.alice().id());
            form.put("user_name", "alice");
            form.put("command", "/deploy");
            form.put("text", "staging & prod");
            form.put("api_app_id", s.app().id());
            form.put("response_url", "https://hooks.slack.com/commands/T/1/abc");
            form.put("trigger_id", "13345224609.738474920.8088930838d88f008e0");
            String body = form(form);

            HttpResponse<String> answer = awaitAccepted(relax, "/slack/commands", body, s.secret());

            assertThat(answer.body()).isEmpty();
            WireEvent e = relax.events().getFirst();
            assertThat(e.type()).isEqualTo("slash_command");
            assertThat(e.teamUid()).isEqualTo(s.ws().id());
            assertThat(e.userUid()).isEqualTo(s.alice().id());
            assertThat(e.channelUid()).isEqualTo(s.general().id());
            assertThat(e.text()).isEqualTo("staging & prod");
            assertThat(e.relaxBotUid()).isEqualTo(s.bot().userId());
            assertThat(e.appId()).isEqualTo(s.app().id());
            JsonNode payload = JSON.readTree(e.extraJson().get("payload"));
            assertThat(payload.path("command").asText()).isEqualTo("/deploy");
            assertThat(payload.path("trigger_id").asText()).isEqualTo(form.get("trigger_id"));
            assertThat(payload.path("response_url").asText()).isEqualTo(form.get("response_url"));
            // Answered once in Redis, and timed before that; a slash command has no Slack time to age from.
            MetricsPage metrics = relax.metrics();
            assertThat(metrics.histogram("relax_event_write_seconds{transport=\"events_api\"}")
                            .count())
                    .isEqualTo(1);
            assertThat(metrics.find("relax_event_age_seconds_count{transport=\"events_api\"}"))
                    .isEmpty();
        }
    }

    @Test
    void anInteractiveFormBecomesInteractionWithItsPayload(SlackSimulator slack, EmbeddedRedis redis) throws Exception {
        try (TestBroker relax = TestBroker.start(slack, redis)) {
            EventsApiApp s = setup(slack, relax);
            ObjectNode payload = JSON.createObjectNode();
            payload.put("type", "block_actions");
            payload.put("api_app_id", s.app().id());
            payload.putObject("team").put("id", s.ws().id());
            payload.putObject("user").put("id", s.alice().id()).put("team_id", s.ws().id());
            payload.putObject("channel").put("id", s.general().id());
            payload.putObject("container").put("channel_id", s.general().id()).put("message_ts", "1700000000.000100");
            payload.put("trigger_id", "TR-interactive-1");
            payload.put("response_url", "https://hooks.slack.com/actions/T/1/xyz");
            payload.putArray("actions").addObject().put("action_id", "approve").put("value", "yes");
            String body = form(Map.of("payload", payload.toString()));

            HttpResponse<String> answer = awaitAccepted(relax, "/slack/interactive", body, s.secret());

            assertThat(answer.body()).isEmpty();
            WireEvent e = relax.events().getFirst();
            assertThat(e.type()).isEqualTo("interaction");
            assertThat(e.teamUid()).isEqualTo(s.ws().id());
            assertThat(e.userUid()).isEqualTo(s.alice().id());
            assertThat(e.channelUid()).isEqualTo(s.general().id());
            assertThat(e.timestamp()).isEqualTo("1700000000.000100");
            assertThat(e.relaxBotUid()).isEqualTo(s.bot().userId());
            assertThat(e.appId()).isEqualTo(s.app().id());
            JsonNode kept = JSON.readTree(e.extraJson().get("payload"));
            assertThat(kept.path("actions").path(0).path("action_id").asText()).isEqualTo("approve");
        }
    }

    /**
     * Posts a signed form until the broker, which applies app_added asynchronously, knows the app; returns
     * the 200 answer. Each try is a new request (new timestamp), as a person trying again would send.
     */
    private static HttpResponse<String> awaitAccepted(TestBroker relax, String path, String body, String secret) {
        AtomicReference<HttpResponse<String>> accepted = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            HttpResponse<String> r = postSigned(relax.broker().httpPort(), path, body, secret);
            accepted.set(r);
            return r.statusCode() != 401;
        });
        assertThat(accepted.get().statusCode()).isEqualTo(200);
        assertThat(relax.events()).hasSize(1);
        return accepted.get();
    }

    private static String eventCallback(EventsApiApp s, String eventId, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("token", "verification-token");
        body.put("team_id", s.ws().id());
        body.put("api_app_id", s.app().id());
        ObjectNode event = body.putObject("event");
        event.put("type", "message");
        event.put("channel", s.general().id());
        event.put("user", s.alice().id());
        event.put("text", text);
        event.put("ts", String.format("1700000000.%06d", IDS.incrementAndGet()));
        event.put("event_ts", event.path("ts").asText());
        event.put("channel_type", "channel");
        body.put("type", "event_callback");
        body.put("event_id", eventId);
        body.put("event_time", 1700000000);
        return body.toString();
    }
}
