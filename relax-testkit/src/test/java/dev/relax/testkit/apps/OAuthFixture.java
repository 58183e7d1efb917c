/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.awaitility.Awaitility.await;

import dev.relax.core.EncryptionKeys;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppOAuth;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.ApiCall;
import dev.relax.testkit.App;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.TestBroker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A broker with a Socket Mode app registered for "Add to Slack" (its secrets sealed under a key), the
 * simulator's app set up to match, and what was published on the commands channel since.
 */
final class OAuthFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CLIENT_SECRET = "client-s3cret";
    static final List<String> BOT_SCOPES = List.of("chat:write", "app_mentions:read");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final EncryptionKeys KEYS =
            EncryptionKeys.parse("k1:" + Base64.getEncoder().encodeToString(new byte[32]), "RELAX_ENCRYPTION_KEYS");

    final String id;
    final String appId;
    final String clientId;
    final App app;
    final TestBroker broker;
    final String redirect;
    final String brokerUrl;
    private final RedisClient pubsubClient;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final List<String> published = new CopyOnWriteArrayList<>();

    /** {@code oauth} adjusts the registration's OAuth settings (user scopes, direct install). */
    OAuthFixture(SlackSimulator slack, EmbeddedRedis redis, UnaryOperator<AppOAuth> oauth) {
        id = "OA" + RUNS.incrementAndGet();
        appId = "A" + id;
        clientId = "111." + RUNS.get();
        String appToken = "xapp-1-" + appId + "-secret";
        broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix(redis.keyPrefix("oa" + id)).encryptionKeys(KEYS))
                .start();
        brokerUrl = "http://127.0.0.1:" + broker.broker().httpPort();
        redirect = brokerUrl + "/slack/oauth_redirect";
        app = slack.app(appId).appToken(appToken).oauth(clientId, CLIENT_SECRET).redirectUrl(URI.create(redirect));
        pubsubClient = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        pubsub = pubsubClient.connectPubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                published.add(message);
            }
        });
        pubsub.sync().subscribe(broker.config().botsPubsub());
        broker.client()
                .registerApp(AppRegistration.socketMode(appId, appToken)
                        .withConnections(1)
                        .withOAuth(oauth.apply(AppOAuth.of(clientId, CLIENT_SECRET, BOT_SCOPES, redirect))));
        // Registered once the broker serves the install page of the app (app_added applied): a page, or
        // the redirect to Slack of a direct install, no longer 404 (unknown app) or 503 (not ready).
        try (InstallBrowser probe = InstallBrowser.manual()) {
            await().atMost(WAIT).until(() -> List.of(200, 302)
                    .contains(probe.get(installUrl()).status()));
        }
        List<String> probes = stateKeys();
        broker.redis().del(probes.toArray(String[]::new));
        published.clear();
    }

    String installUrl() {
        return brokerUrl + "/slack/install/" + appId;
    }

    /** The installations hash: field to JSON as stored. */
    Map<String, String> installations() {
        return broker.redis().hgetall(broker.config().installationsKey());
    }

    /** The installation stored under {@code field}, its secrets opened. */
    Installation installation(String field) {
        String json = installations().get(field);
        if (json == null) {
            throw new AssertionError(
                    "no installation " + field + " in " + installations().keySet());
        }
        return RelaxJson.decodeInstallation(json, KEYS);
    }

    /** The states waiting in Redis. */
    List<String> stateKeys() {
        return broker.redis().keys(broker.config().installationsKey() + ":oauth_state:*");
    }

    /** This app's exchanges of codes with oauth.v2.access (the simulator is shared by a class's tests). */
    List<ApiCall> accessCalls(SlackSimulator slack) {
        return slack.recordings().apiCalls("oauth.v2.access").stream()
                .filter(call -> call.arg("redirect_uri").equals(redirect))
                .toList();
    }

    /** Commands published on the commands channel since the app was registered. */
    List<String> published() {
        return published;
    }

    @Override
    public void close() {
        pubsub.close();
        pubsubClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        broker.close();
    }
}
