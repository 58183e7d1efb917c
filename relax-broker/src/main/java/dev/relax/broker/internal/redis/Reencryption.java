/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.json.RelaxJson;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar relax-broker.jar reencrypt}: writes every stored secret again under the first key of
 * {@code RELAX_ENCRYPTION_KEYS}: plain text written by older versions or by hand, and values sealed under an
 * older key, in the apps and installations hashes, and in the bots hash when {@code
 * RELAX_ENCRYPT_BOT_TOKENS} is on (when it is off, bot tokens sealed earlier are written back in plain
 * text, for the Go broker). Run it after putting a new key first; then the old key can go.
 *
 * <p>Each entry is replaced only if it is still the one read (a script compares), so a registration
 * written meanwhile is never overwritten with an older one; it was written under the new key anyway.
 * An entry that cannot be read (a key missing from the list, a tampered value) is logged, naming the
 * field, and left as it is.
 */
public final class Reencryption {
    private static final Logger log = LoggerFactory.getLogger(Reencryption.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The secret-bearing fields of the stored documents (docs/protocol.md, "Secrets at rest"). */
    private static final List<String> SECRET_FIELDS = List.of(
            "token",
            "app_token",
            "signing_secret",
            "client_secret",
            "bot_token",
            "user_token",
            "bot_refresh_token",
            "user_refresh_token");

    /** KEYS: hash. ARGV: field, the value read, the value to write. */
    private static final String REPLACE =
            """
            if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
              return 1
            end
            return 0
            """;

    /** What one run did, per hash: rewritten, already as wanted, unreadable, changed meanwhile. */
    public record Counts(int rewritten, int current, int unreadable, int raced) {
        Counts plus(Counts o) {
            return new Counts(rewritten + o.rewritten, current + o.current, unreadable + o.unreadable, raced + o.raced);
        }
    }

    private final RelaxConfig config;
    private final RedisClusterCommands<String, String> redis;

    public Reencryption(RelaxConfig config, RedisClusterCommands<String, String> redis) {
        this.config = config;
        this.redis = redis;
    }

    /**
     * Rewrites what needs it, by hash ({@code apps}, {@code installations}, {@code bots}).
     *
     * @throws RelaxException when {@code RELAX_ENCRYPTION_KEYS} is not set: there is nothing to encrypt under
     */
    public Map<String, Counts> run() {
        EncryptionKeys keys = config.encryptionKeys();
        if (!keys.enabled()) {
            throw new RelaxException(
                    "reencrypt needs RELAX_ENCRYPTION_KEYS: the keys to encrypt under (the first) and to decrypt with");
        }
        Counts apps = rewrite(
                config.appsKey(),
                keys,
                (field, stored) -> RelaxJson.encodeApp(RelaxJson.decodeApp(stored, keys), keys));
        Counts installations = rewrite(
                config.installationsKey(),
                keys,
                (field, stored) -> RelaxJson.encodeInstallation(RelaxJson.decodeInstallation(stored, keys), keys));
        EncryptionKeys botKeys = config.botTokenKeys();
        Counts bots = rewrite(
                config.botsKey(),
                botKeys,
                (field, stored) -> RelaxJson.encodeRegistration(RelaxJson.decodeRegistration(stored, keys), botKeys));
        return Map.of("apps", apps, "installations", installations, "bots", bots);
    }

    private Counts rewrite(String hash, EncryptionKeys target, BiFunction<String, String, String> reseal) {
        Counts counts = new Counts(0, 0, 0, 0);
        for (Map.Entry<String, String> entry : redis.hgetall(hash).entrySet()) {
            String field = entry.getKey();
            String stored = entry.getValue();
            if (!needsRewriting(stored, target)) {
                counts = counts.plus(new Counts(0, 1, 0, 0));
                continue;
            }
            String rewritten;
            try {
                rewritten = reseal.apply(field, stored);
            } catch (RuntimeException e) {
                log.error("{} field '{}' is left as it is: {}", hash, field, e.getMessage());
                counts = counts.plus(new Counts(0, 0, 1, 0));
                continue;
            }
            Long replaced =
                    redis.eval(REPLACE, ScriptOutputType.INTEGER, new String[] {hash}, field, stored, rewritten);
            counts = counts.plus(replaced != null && replaced == 1 ? new Counts(1, 0, 0, 0) : new Counts(0, 0, 0, 1));
        }
        return counts;
    }

    /** Whether a secret of {@code stored} is not as {@code target} writes it (sealed under its first key, or plain). */
    static boolean needsRewriting(String stored, EncryptionKeys target) {
        JsonNode document;
        try {
            document = JSON.readTree(stored);
        } catch (IOException e) {
            return true; // rewriting fails, and says why
        }
        for (String field : SECRET_FIELDS) {
            String value = document.path(field).asText("");
            if (value.isEmpty()) {
                continue;
            }
            boolean sealed = EncryptionKeys.isSealed(value);
            if (target.enabled() ? target.needsResealing(value) : sealed) {
                return true;
            }
        }
        return false;
    }
}
