/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.client.CallResult;
import dev.relax.client.SlackCall;
import dev.relax.core.Secret;
import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.AppOAuth;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.App;
import dev.relax.testkit.Channel;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Token rotation end to end: apps installed through the simulator's OAuth flow with rotation on, their
 * tokens refreshed by the brokers before they expire (one broker per refresh), a call that meets {@code
 * token_expired} renewed and made again, and a refused refresh disabling the installation once.
 */
class TokenRefreshIT {
    @RegisterExtension
    final SlackSimulatorExtension slack = SlackSimulatorExtension.create().withRedis();

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REDIRECT = "https://bot.example/slack/oauth_redirect";
    private static final String SECRET = "client-secret";

    private final ObjectMapper json = new ObjectMapper();

    /** One app with rotation on, installed in one workspace through OAuth. */
    private record Setup(
            String id, App app, String appToken, Workspace ws, User alice, Channel general, Installation installed) {}

    private Setup install(SlackSimulator sim, Duration lifetime) throws Exception {
        String id = "TR" + RUNS.incrementAndGet();
        String appToken = "xapp-1-A" + id + "-secret";
        String clientId = "111." + id;
        App app = sim.app("A" + id)
                .appToken(appToken)
                .oauth(clientId, SECRET)
                .redirectUrl(URI.create(REDIRECT))
                .tokenRotation(lifetime);
        Workspace ws = sim.workspace("T" + id);
        User alice = ws.user("UA" + id, "alice");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> allowed = http.send(
                    HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/oauth/v2/authorize"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("client_id=" + clientId
                                    + "&scope=chat:write&state=s&team=" + ws.id() + "&user=" + alice.id()
                                    + "&decision=allow"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String location = allowed.headers().firstValue("Location").orElseThrow();
            String code = location.replaceAll(".*code=([^&]+).*", "$1");
            String basic =
                    Base64.getEncoder().encodeToString((clientId + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> exchanged = http.send(
                    HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/oauth.v2.access"))
                            .header("Authorization", "Basic " + basic)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = json.readTree(exchanged.body());
            assertThat(body.path("ok").asBoolean()).as(body.toString()).isTrue();
            Installation installed = Installation.builder("A" + id, ws.id())
                    .bot(
                            body.path("bot_user_id").asText(),
                            Secret.of(body.path("access_token").asText()),
                            body.path("scope").asText())
                    .botRotation(
                            Secret.of(body.path("refresh_token").asText()),
                            Instant.now().plusSeconds(body.path("expires_in").asLong()))
                    .build();
            // After the install, so that the bot is a member.
            Channel general = ws.channel("C" + id, "general");
            return new Setup(id, app, appToken, ws, alice, general, installed);
        }
    }

    private static TestBroker broker(
            SlackSimulator sim, EmbeddedRedis redis, Setup s, UnaryOperator<dev.relax.broker.BrokerOptions.Builder> o) {
        return TestBroker.builder(sim, redis)
                .config(c -> c.keysWithPrefix("tr" + s.id()))
                .options(b -> o.apply(b.shutdownTimeout(Duration.ofSeconds(1))))
                .start();
    }

    private static void register(TestBroker broker, Setup s) {
        broker.client().addInstallation(s.installed());
        broker.client()
                .registerApp(AppRegistration.socketMode(s.app().id(), s.appToken())
                        .withOAuth(AppOAuth.of(s.app().clientId(), SECRET, List.of("chat:write"), REDIRECT)));
    }

    private static List<ApiCall> refreshes(SlackSimulator sim) {
        return sim.recordings().apiCalls("oauth.v2.access").stream()
                .filter(c -> c.arg("grant_type").equals("refresh_token"))
                .toList();
    }

    @Test
    void twoBrokersRefreshEachExpiryOnceWhileEventsAndCallsGoOn(SlackSimulator sim, EmbeddedRedis redis)
            throws Exception {
        Setup s = install(sim, Duration.ofSeconds(3));
        UnaryOperator<dev.relax.broker.BrokerOptions.Builder> fast = o -> o.tokenRefreshMargin(Duration.ofMillis(1500))
                .tokenRefreshInterval(Duration.ofMillis(200))
                .callInterval(Duration.ofMillis(100));
        try (TestBroker a = broker(sim, redis, s, fast);
                TestBroker b = broker(sim, redis, s, fast)) {
            register(a, s);
            await().atMost(WAIT).until(() -> s.app().openConnections() >= 1);
            List<SlackCall> calls = new ArrayList<>();
            List<String> posted = new ArrayList<>();
            // Each poll posts a message in the workspace and queues a call, until the tokens went through
            // three refreshes: about 4.5 s of traffic across every expiry.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                String text = "m" + posted.size();
                s.ws().as(s.alice()).post(s.general(), text);
                posted.add(text);
                calls.add(a.client()
                        .postMessage(s.app().id(), s.ws().id(), s.general().id(), "c" + calls.size()));
                return refreshes(sim).size() >= 3;
            });

            for (SlackCall call : calls) {
                CallResult result = call.result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(result.ok()).as(result.toString()).isTrue();
                assertThat(result.attempts()).as(result.toString()).isEqualTo(1);
            }
            await().atMost(WAIT)
                    .until(() -> a.events().stream()
                                    .filter(e -> e.type().equals("message_new"))
                                    .count()
                            == posted.size());
            assertThat(sim.recordings().apiCalls("chat.postMessage"))
                    .hasSize(calls.size())
                    .allMatch(ApiCall::ok);
            List<ApiCall> refreshed = refreshes(sim);
            assertThat(refreshed)
                    .as("every refresh redeemed a refresh token not used before")
                    .allMatch(ApiCall::ok);
            assertThat(refreshed.stream().map(c -> c.arg("refresh_token")).distinct())
                    .hasSameSizeAs(refreshed);
            assertThat(a.client().installation(s.app().id(), s.ws().id()))
                    .get()
                    .satisfies(i -> assertThat(i.botTokenExpiresAt()).isAfter(Instant.now()));
            assertThat(a.metrics().count("relax_token_refreshes_total{result=\"ok\"}")
                            + b.metrics().count("relax_token_refreshes_total{result=\"ok\"}"))
                    .isEqualTo(refreshed.size());
        }
    }

    @Test
    void aCallThatMeetsAnExpiredTokenRefreshesItAndSucceeds(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Setup s = install(sim, Duration.ofSeconds(2));
        // No scan before the call: only the call's token_expired can refresh.
        try (TestBroker broker = broker(sim, redis, s, o -> o.tokenRefreshMargin(Duration.ZERO)
                .tokenRefreshInterval(Duration.ofHours(1))
                .callInterval(Duration.ofMillis(100)))) {
            register(broker, s);
            await().atMost(WAIT).until(() -> Instant.now().isAfter(s.installed().botTokenExpiresAt()));

            CallResult result = broker.client()
                    .postMessage(s.app().id(), s.ws().id(), s.general().id(), "after expiry")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.ok()).as(result.toString()).isTrue();
            assertThat(sim.recordings().apiCalls("chat.postMessage"))
                    .extracting(ApiCall::error)
                    .containsExactly("token_expired", "");
            assertThat(refreshes(sim)).singleElement().matches(ApiCall::ok);
            assertThat(s.ws().history(s.general())).singleElement().satisfies(m -> assertThat(m.text())
                    .isEqualTo("after expiry"));
        }
    }

    @Test
    void aRefusedRefreshDisablesTheInstallationOnce(SlackSimulator sim, EmbeddedRedis redis) throws Exception {
        Setup s = install(sim, Duration.ofSeconds(3));
        sim.revoke(s.installed().botToken().reveal());
        UnaryOperator<dev.relax.broker.BrokerOptions.Builder> fast =
                o -> o.tokenRefreshMargin(Duration.ofSeconds(10)).tokenRefreshInterval(Duration.ofMillis(200));
        try (TestBroker a = broker(sim, redis, s, fast);
                TestBroker b = broker(sim, redis, s, fast)) {
            register(a, s);

            await().atMost(WAIT)
                    .until(() ->
                            a.client().installation(s.app().id(), s.ws().id()).isEmpty());
            await().atMost(WAIT)
                    .until(() -> a.events().stream().anyMatch(e -> e.type().equals("disable_bot")));
            // Both brokers scan every 0.2 s: a second disable_bot would show within a second.
            await().during(Duration.ofSeconds(1))
                    .atMost(WAIT)
                    .until(() -> a.events().stream()
                                    .filter(e -> e.type().equals("disable_bot"))
                                    .count()
                            == 1);
            WireEvent disabled = a.events().stream()
                    .filter(e -> e.type().equals("disable_bot"))
                    .findFirst()
                    .orElseThrow();
            assertThat(disabled.teamUid()).isEqualTo(s.ws().id());
            assertThat(disabled.appId()).isEqualTo(s.app().id());
            assertThat(disabled.relaxBotUid()).isEqualTo(s.installed().botUserId());
            assertThat(refreshes(sim)).singleElement().satisfies(c -> assertThat(c.error())
                    .isEqualTo("invalid_refresh_token"));
            assertThat(a.metrics().count("relax_token_refreshes_total{result=\"refused\"}")
                            + b.metrics().count("relax_token_refreshes_total{result=\"refused\"}"))
                    .isEqualTo(1);
        }
    }
}
