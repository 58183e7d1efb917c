/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bots, apps and installations hashes of {@code RelaxClient}: writes each change together with the
 * command that tells the brokers of it (HSET or HDEL, then PUBLISH, in one Lua script: as atomic as the
 * Ruby client's MULTI/EXEC, which a Redis Cluster connection cannot run), and reads them. Arguments are
 * checked by {@code RelaxClient}, which documents each operation.
 */
public final class RegistrationStore {
    private static final Logger log = LoggerFactory.getLogger(RegistrationStore.class);

    /** KEYS[1] hash; ARGV[1] field, ARGV[2] value, ARGV[3] channel, ARGV[4] command. */
    static final String PUT =
            """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return 1
            """;
    /** KEYS[1] hash; ARGV[1] field, ARGV[2] channel, ARGV[3] command. */
    static final String REMOVE =
            """
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[2], ARGV[3])
            return 1
            """;

    private final RelaxConfig config;
    /** The client's shared connection; not closed here. */
    private final RedisConnection commands;

    public RegistrationStore(RelaxConfig config, RedisConnection commands) {
        this.config = config;
        this.commands = commands;
    }

    public void startBot(BotRegistration registration) {
        put(
                config.botsKey(),
                registration.hashField(),
                RelaxJson.encodeRegistration(registration, config.botTokenKeys()),
                new Command.TeamAdded(registration.id()),
                "start bot " + registration.id());
    }

    public void stopBot(BotId bot) {
        remove(config.botsKey(), bot.hashField(), new Command.TeamRemoved(bot), "stop bot " + bot);
    }

    public List<BotRegistration> bots() {
        return all(
                config.botsKey(),
                json -> RelaxJson.decodeRegistration(json, config.encryptionKeys()),
                "bots hash field '{}' holds no valid registration");
    }

    public void registerApp(AppRegistration app) {
        put(
                config.appsKey(),
                app.hashField(),
                RelaxJson.encodeApp(app, config.encryptionKeys()),
                new Command.AppAdded(app.appId()),
                "register app " + app.appId());
    }

    public void removeApp(String appId) {
        remove(config.appsKey(), appId, new Command.AppRemoved(appId), "remove app " + appId);
    }

    public List<AppRegistration> apps() {
        return all(
                config.appsKey(),
                json -> RelaxJson.decodeApp(json, config.encryptionKeys()),
                "apps hash field '{}' holds no valid app registration");
    }

    public void addInstallation(Installation installation) {
        put(
                config.installationsKey(),
                installation.hashField(),
                RelaxJson.encodeInstallation(installation, config.encryptionKeys()),
                new Command.InstallationAdded(installation.appId(), installation.teamId()),
                "add installation " + installation.hashField());
    }

    public void removeInstallation(String appId, String teamId) {
        remove(
                config.installationsKey(),
                Installation.hashField(appId, teamId),
                new Command.InstallationRemoved(appId, teamId),
                "remove installation " + appId + ":" + teamId);
    }

    public Optional<Installation> installation(String appId, String teamId) {
        String json = commands.sync().hget(config.installationsKey(), Installation.hashField(appId, teamId));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RelaxJson.decodeInstallation(json, config.encryptionKeys()));
        } catch (RelaxException e) { // malformed, or sealed under a key this client lacks
            log.warn("installation {}:{} is not valid: {}", appId, teamId, e.getMessage());
            return Optional.empty();
        }
    }

    /** Every valid entry of hash {@code key}; the others are logged ({@code invalid} names the field) and left out. */
    private <T> List<T> all(String key, Function<String, T> decode, String invalid) {
        List<T> out = new ArrayList<>();
        commands.sync().hgetall(key).forEach((field, json) -> {
            try {
                out.add(decode.apply(json));
            } catch (RelaxException e) { // malformed, or sealed under a key this client lacks
                log.warn(invalid + ", left out: {}", field, e.getMessage());
            }
        });
        return out;
    }

    /** Sets {@code field} of hash {@code key} to {@code json} and publishes {@code command}, atomically. */
    private void put(String key, String field, String json, Command command, String what) {
        // The channel is no key: pub/sub is not bound to a slot, so the script runs on the hash's node.
        run(what, PUT, key, field, json, config.botsPubsub(), RelaxJson.encodeCommand(command));
    }

    /** Deletes {@code field} of hash {@code key} and publishes {@code command}, atomically (the Ruby client's order). */
    private void remove(String key, String field, Command command, String what) {
        run(what, REMOVE, key, field, config.botsPubsub(), RelaxJson.encodeCommand(command));
    }

    private void run(String what, String script, String key, String... args) {
        Long done = commands.sync().eval(script, ScriptOutputType.INTEGER, new String[] {key}, args);
        if (done == null || done != 1L) {
            throw new RelaxException("Redis did not run the script to " + what);
        }
    }
}
