/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.relax.core.json.RelaxJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error that can be made from a secret-bearing input (a Redis URL with a password, a registration
 * with a token or signing secret, however malformed) says what is wrong without the secret. The secret of
 * each case is the text {@code S3CRET} (inside a longer value), so one assertion fits every case.
 */
class SecretsInErrorsTest {
    private static final String SECRET = "S3CRET";

    private static Map<String, String> env(String name, String value) {
        Map<String, String> env = new HashMap<>();
        env.put("RELAX_BOTS_KEY", "b");
        env.put("RELAX_BOTS_PUBSUB", "p");
        env.put("RELAX_EVENTS_QUEUE", "q");
        env.put("RELAX_MUTEX_KEY", "m");
        env.put("REDIS_HOST", "localhost:6379");
        env.put(name, value);
        return env;
    }

    /** Malformed variables of every kind that can hold a password, each with the password somewhere in it. */
    static List<Map<String, String>> malformedEnvironments() {
        return List.of(
                // a bare userinfo is the password (Redis URL conventions), with a database path that is no number
                env("REDIS_URL", "redis://hunter" + SECRET + "@localhost:6379/zero"),
                env("REDIS_URL", "redis://:hunter" + SECRET + "@localhost:6379/zero"),
                env("REDIS_URL", "redis://user:hunter" + SECRET + "@localhost:6379/zero"),
                env("REDISCLOUD_URL", "rediss://default:hunter" + SECRET + "@cloud.example:6380/db"),
                env("REDISCLOUD_URL", "rediss://hunter" + SECRET + "@cloud.example:6380/db"),
                // not a URL at all (URISyntaxException): a space, a raw '@' or '/' in the password
                env("REDIS_URL", "redis://:hunter " + SECRET + "@localhost:6379"),
                env("REDIS_URL", "redis://:hu@nter" + SECRET + "@localhost:6379/x"),
                env("REDIS_URL", "redis://:hu/nter" + SECRET + "@localhost:6379"),
                env("REDIS_URL", "redis://:hunter" + SECRET + "@localhost:port"),
                env("REDIS_URL", "redis://:hunter" + SECRET + "@"),
                // the wrong scheme, or none
                env("REDIS_URL", "http://:hunter" + SECRET + "@localhost:6379"),
                env("REDIS_URL", "hunter" + SECRET + "@localhost:6379"),
                env("REDIS_URL", ":hunter" + SECRET + "@localhost:6379"),
                // a URL where host:port belongs
                env("REDIS_HOST", "redis://:hunter" + SECRET + "@localhost:6379"),
                env("REDIS_HOST", "hunter" + SECRET + "@localhost:port"),
                // a gateway with credentials as SLACK_HOST
                env("SLACK_HOST", "https://relax:hunter" + SECRET + "@gateway example"),
                env("SLACK_HOST", "https://hunter" + SECRET + "@/api"),
                env("SLACK_HOST", "ftp://relax:hunter" + SECRET + "@gateway.example"));
    }

    @ParameterizedTest
    @MethodSource("malformedEnvironments")
    void configErrorsNeverShowThePassword(Map<String, String> env) {
        RelaxException e = catchThrowableOfType(RelaxException.class, () -> RelaxConfig.fromEnv(env));

        assertThat(e).as("%s is refused", env).isNotNull();
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET);
    }

    @Test
    void aBareUserinfoIsThePasswordAndNeverPrinted() {
        RedisAddress a = RelaxConfig.fromEnv(env("REDIS_URL", "redis://hunter" + SECRET + "@localhost:6379/2"))
                .redis();

        assertThat(a.password().reveal()).isEqualTo("hunter" + SECRET);
        assertThat(a.username()).isEmpty();
        assertThat(a).hasToString("redis://:****@localhost:6379/2");
    }

    @Test
    void aGatewayWithCredentialsIsNotPrintedByTheConfiguration() {
        RelaxConfig c = RelaxConfig.fromEnv(env("SLACK_HOST", "https://relax:hunter" + SECRET + "@gateway.example"));

        assertThat(c.toString()).doesNotContain(SECRET).contains("gateway.example");
    }

    /** Registrations, apps and installations as an operator might mistype them, each carrying a secret. */
    static List<String> malformedDocuments() {
        return List.of(
                // unquoted values
                "{\"team_id\":\"T1\",\"token\": xoxb-1-" + SECRET + "}",
                "{\"team_id\":\"T1\",\"token\": hunter" + SECRET + "}",
                "{\"app_id\":\"A1\",\"signing_secret\": hunter" + SECRET + ", \"connections\": 1}",
                "{\"app_id\":\"A1\",\"app_token\": xapp-1-A1-" + SECRET + "}",
                "{\"app_id\":\"A1\",\"client_secret\": hunter" + SECRET + "}",
                "{\"app_id\":\"A1\",\"team_id\":\"T1\",\"bot_token\": hunter" + SECRET + "}",
                // truncated documents
                "{\"team_id\":\"T1\",\"token\":\"hunter" + SECRET,
                "{\"app_id\":\"A1\",\"signing_secret\":\"hunter" + SECRET,
                "{\"app_id\":\"A1\",\"team_id\":\"T1\",\"bot_token\":\"xoxb-1-" + SECRET + "\"",
                // single quotes and bare field names
                "{'team_id':'T1','token':'hunter" + SECRET + "'}",
                "{\"app_id\":\"A1\", signing_secret: \"hunter" + SECRET + "\"}",
                "{app_id:\"A1\",signing_secret:hunter" + SECRET + "}",
                // a secret where an object or a number was expected, or content after the document
                "{\"app_id\":\"A1\",\"signing_secret\":\"hunter" + SECRET + "\",\"connections\":\"two\"}",
                "{\"app_id\":\"A1\",\"signing_secret\":\"hunter" + SECRET + "\",\"connections\":99}",
                "{\"app_id\":\"A1\",\"signing_secret\":\"hunter" + SECRET + "\"} trailing",
                "{\"team_id\":\"T1\",\"token\":{\"value\":\"hunter" + SECRET + "\"}}",
                "{\"app_id\":\"\",\"signing_secret\":\"hunter" + SECRET + "\"}",
                "{\"team_id\":\"T1\",\"token\":\"hu\\\"nter" + SECRET + "\" x}",
                "[\"hunter" + SECRET + "\"]",
                "hunter" + SECRET);
    }

    @ParameterizedTest
    @MethodSource("malformedDocuments")
    void decodeErrorsOfRegistrationsAppsAndInstallationsNeverShowTheSecret(String json) {
        List<Consumer<String>> decoders =
                List.of(RelaxJson::decodeRegistration, RelaxJson::decodeApp, RelaxJson::decodeInstallation);
        for (Consumer<String> decode : decoders) {
            RelaxException e = catchThrowableOfType(RelaxException.class, () -> decode.accept(json));

            assertThat(e).as("%s is refused", json).isNotNull();
            assertThat(e.getMessage()).as("message for %s", json).doesNotContain(SECRET);
            assertThat(e.getCause()).isNull();
        }
    }
}
