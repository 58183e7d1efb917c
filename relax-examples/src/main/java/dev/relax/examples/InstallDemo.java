/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import static dev.relax.examples.Demo.say;
import static dev.relax.examples.Demo.waitFor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.BrokerOptions;
import dev.relax.broker.RelaxBroker;
import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.MessageNew;
import dev.relax.core.protocol.AppOAuth;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.testkit.AddToSlack;
import dev.relax.testkit.App;
import dev.relax.testkit.Channel;
import dev.relax.testkit.ChannelMessage;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.SlackSimulator;
import dev.relax.testkit.User;
import dev.relax.testkit.Workspace;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The demo's second part: a Slack app installed the way real ones are. A person opens the broker's
 * {@code /slack/install/<app>}, clicks Add to Slack, allows the app on Slack's consent page (the
 * simulator's), and lands on the broker's success page; the broker stores the installation with its token
 * encrypted ({@code RELAX_ENCRYPTION_KEYS}), and the app answers its first mention with that token.
 */
public final class InstallDemo {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String APP_ID = "A0HELPDESK";
    static final String ANSWER = "Hi! I was installed through Add to Slack a moment ago.";

    private InstallDemo() {}

    public static void main(String[] args) throws Exception {
        System.exit(run());
    }

    /** Runs the demo; returns 0 when every step happened. */
    static int run() throws Exception {
        say("Add to Slack: a Slack app installed through OAuth, its tokens encrypted in Redis.");
        try (EmbeddedRedis redis = EmbeddedRedis.start();
                SlackSimulator slack = SlackSimulator.start()) {
            Workspace ws = slack.workspace("TACME", "Acme", "acme");
            User alice = ws.user("UALICE", "alice");
            Channel general = ws.channel("CGENERAL", "general");
            App app = slack.app(APP_ID).appToken("xapp-1-A0HELPDESK-demo").oauth("1111.2222", "demo-client-secret");

            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            RelaxConfig config = RelaxConfig.builder()
                    .keysWithPrefix("relax_install_demo")
                    .redis(RedisAddress.of(redis.host(), redis.port()))
                    .slackHost(slack.baseUrl())
                    .encryptionKeys(EncryptionKeys.parse(
                            "demo:" + Base64.getEncoder().encodeToString(key), "RELAX_ENCRYPTION_KEYS"))
                    .build();
            try (RelaxBroker broker = RelaxBroker.builder(config)
                            .options(BrokerOptions.builder()
                                    .httpHost("127.0.0.1")
                                    .startJitter(Duration.ZERO)
                                    .build())
                            .build()
                            .start();
                    RelaxClient relax = RelaxClient.create(config);
                    EventConsumer consumer = relax.consumer()
                            .on(MessageNew.class, m -> {
                                if (m.mentionsBot()) {
                                    relax.reply(m, ANSWER);
                                }
                            })
                            .start()) {
                String base = "http://127.0.0.1:" + broker.httpPort();
                URI redirect = URI.create(base + "/slack/oauth_redirect");
                app.redirectUrl(redirect);
                waitFor("the broker to be ready", broker::isReady);
                relax.registerApp(AppRegistration.socketMode(APP_ID, "xapp-1-A0HELPDESK-demo")
                        .withConnections(1)
                        .withOAuth(AppOAuth.of(
                                "1111.2222",
                                "demo-client-secret",
                                List.of("app_mentions:read", "chat:write", "channels:history"),
                                redirect.toString())));
                waitFor("the app to connect over Socket Mode", () -> app.openConnections() == 1);
                say("[app]     registerApp(" + APP_ID + ", with OAuth); Slack app settings: redirect URL " + redirect);

                try (AddToSlack browser = AddToSlack.browser()) {
                    String install = base + "/slack/install/" + APP_ID;
                    AddToSlack.Page page = browser.open(URI.create(install));
                    say("[browser] alice opens " + install + ": " + page.status() + ", " + title(page));
                    page = browser.clickAddToSlack();
                    say("[browser] she clicks Add to Slack: Slack asks her to allow the app in Acme ("
                            + page.url().getPath() + ")");
                    page = browser.allow(ws.id());
                    say("[browser] she clicks Allow and comes back to the broker: " + page.status() + ", "
                            + title(page));
                }

                String json = redisInstallation(config, redis);
                String stored = json == null
                        ? ""
                        : JSON.readTree(json).path("bot_token").asText();
                if (stored.isEmpty()) {
                    throw new IllegalStateException("the demo found no installation of " + APP_ID + " in Acme");
                }
                say("[redis]   " + config.installationsKey() + " " + APP_ID + ":" + ws.id() + " bot_token = "
                        + stored.substring(0, Math.min(24, stored.length())) + "… (AES-256-GCM, key 'demo')");

                say("[slack]   alice in #general: @helpdesk are you there?");
                String botUser =
                        relax.installation(APP_ID, ws.id()).orElseThrow().botUserId();
                ws.as(alice).post(general, "<@" + botUser + "> are you there?");
                waitFor("the app's answer", () -> answers(ws, general, botUser).size() == 1);
                say("[slack]   helpdesk posted: "
                        + answers(ws, general, botUser).getFirst().text());
                say("Done: installed through Add to Slack, token encrypted at rest, first mention answered.");
            }
        }
        say("Everything stopped.");
        return 0;
    }

    private static String redisInstallation(RelaxConfig config, EmbeddedRedis redis) {
        return redis.commands().hget(config.installationsKey(), APP_ID + ":TACME");
    }

    private static List<ChannelMessage> answers(Workspace ws, Channel channel, String botUser) {
        return ws.history(channel).stream()
                .filter(m -> m.user().equals(botUser))
                .toList();
    }

    /** The page's title, for a one-line account of it. */
    private static String title(AddToSlack.Page page) {
        String body = page.body();
        int start = body.indexOf("<title>");
        int end = body.indexOf("</title>");
        return start < 0 || end < start
                ? "(no title)"
                : "\"" + body.substring(start + 7, end).strip() + "\"";
    }
}
