/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.client.CallResult;
import dev.relax.client.RelaxClient;
import dev.relax.client.WebApiCall;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import dev.relax.testkit.App;
import dev.relax.testkit.Bot;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.SlackSimulatorExtension;
import dev.relax.testkit.TestBroker;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Secrets of apps encrypted in Redis (RELAX_ENCRYPTION_KEYS): what the broker does with them, end to end. */
class SecretsAtRestIT {
    @RegisterExtension
    static final SlackSimulatorExtension SLACK =
            SlackSimulatorExtension.create().withRedis();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EncryptionKeys keys(String spec) {
        return EncryptionKeys.parse(spec, "RELAX_ENCRYPTION_KEYS");
    }

    private static String key(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) seed);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void anAppWhoseSecretsAreSealedGetsItsEventsAndItsRepliesPosted(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        App app = slack.app("ASR1").appToken("xapp-1-ASR1-s3cret");
        Workspace ws = slack.workspace("TSR1");
        Bot bot = app.install(ws, "xoxb-SR1-s3cret", "UBSR1");
        User alice = ws.user("UASR1", "alice");
        Channel general = ws.channel("CSR1", "general");
        try (TestBroker broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("sr1").encryptionKeys(keys("k1:" + key(1))))
                .start()) {
            broker.addInstallation(app.id(), bot);
            broker.client()
                    .registerApp(AppRegistration.socketMode(app.id(), "xapp-1-ASR1-s3cret")
                            .withConnections(1));
            await().atMost(WAIT).until(() -> app.openConnections() == 1);

            String storedApp = broker.redis().hget(broker.config().appsKey(), app.id());
            String storedInstallation =
                    broker.redis().hget(broker.config().installationsKey(), Installation.hashField(app.id(), ws.id()));
            assertThat(storedApp + storedInstallation).doesNotContain("s3cret");
            assertThat(JSON.readTree(storedApp).path("app_token").asText()).startsWith("enc:v1:k1:");
            assertThat(JSON.readTree(storedInstallation).path("bot_token").asText())
                    .startsWith("enc:v1:k1:");

            ws.as(alice).mention(bot, general, "ping");
            await().atMost(WAIT).until(() -> !broker.events().isEmpty());
            CallResult reply = broker.client()
                    .reply(RelaxEvent.of(broker.events().getFirst()), "pong")
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(reply.ok()).as(reply.toString()).isTrue();
            assertThat(ws.history(general))
                    .filteredOn(m -> m.user().equals(bot.userId()))
                    .extracting(ChannelMessage::text)
                    .containsExactly("pong");
        }
    }

    @Test
    void anInstallationCopiedUnderAnotherWorkspacesFieldIsNotUsedForIt(SlackSimulator slack, EmbeddedRedis redis)
            throws Exception {
        App app = slack.app("ASR4").signingSecret("sign-s3cret");
        Workspace ws = slack.workspace("TSR4");
        Bot bot = app.install(ws, "xoxb-SR4-s3cret", "UBSR4");
        try (TestBroker broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("sr4").encryptionKeys(keys("k1:" + key(1))))
                .start()) {
            broker.addInstallation(app.id(), bot);
            String installations = broker.config().installationsKey();
            // Someone with write access to Redis copies T1's document to another workspace's field.
            broker.redis().hset(installations, "ASR4:TSR5", broker.redis().hget(installations, "ASR4:TSR4"));

            CallResult result = broker.client()
                    .call(new WebApiCall(app.id(), "TSR5", "chat.postMessage", "CSR5", Map.of("text", "hi")))
                    .result()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(result.ok()).isFalse();
            assertThat(result.error()).isEqualTo("installation_not_found");
            assertThat(slack.recordings().apiCalls("chat.postMessage"))
                    .filteredOn(c -> c.token().reveal().equals("xoxb-SR4-s3cret"))
                    .isEmpty();
        }
    }

    @Test
    void anAppSealedUnderAKeyTheBrokerLacksIsLoggedByNameAndTheOthersServe(SlackSimulator slack, EmbeddedRedis redis) {
        App sealed = slack.app("ASR2").appToken("xapp-1-ASR2-s3cret");
        App plain = slack.app("ASR3").appToken("xapp-1-ASR3-s3cret");
        Logger appsLog = (Logger) LoggerFactory.getLogger("dev.relax.broker.internal.apps.AppDirectory");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        appsLog.addAppender(lines);
        try (TestBroker broker = TestBroker.builder(slack, redis)
                .config(c -> c.keysWithPrefix("sr2").encryptionKeys(keys("k2:" + key(2))))
                .start()) {
            // Registered by an application that has key k1, which this broker was not given.
            try (RelaxClient other = RelaxClient.create(broker.config()
                    .mutate()
                    .encryptionKeys(keys("k1:" + key(1)))
                    .build())) {
                other.registerApp(AppRegistration.socketMode(sealed.id(), "xapp-1-ASR2-s3cret")
                        .withConnections(1));
            }
            broker.client()
                    .registerApp(AppRegistration.socketMode(plain.id(), "xapp-1-ASR3-s3cret")
                            .withConnections(1));

            await().atMost(WAIT).until(() -> plain.openConnections() == 1);
            await().atMost(WAIT).until(() -> lines.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("ASR2")));
            assertThat(sealed.openConnections()).isZero();
            assertThat(lines.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .contains("apps hash field 'ASR2' holds no valid app registration, skipped: cannot decrypt the app"
                            + " ASR2 app_token: it was encrypted under key k1, which is not in RELAX_ENCRYPTION_KEYS"
                            + " (it has k2)")
                    .noneMatch(line -> line.contains("s3cret"));
        } finally {
            appsLog.detachAppender(lines);
        }
    }
}
