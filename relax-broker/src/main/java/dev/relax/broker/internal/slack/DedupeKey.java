/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.core.MutexMode;
import dev.relax.core.protocol.BotId;
import java.util.Objects;

/**
 * What brokers deduplicate one event by, in either mutex mode, made once by the translator that made the
 * event: every broker that holds the same bot or app derives the same key for the same Slack event.
 *
 * <ul>
 *   <li>{@link MutexMode#BOUNDED} (default): the string key {@code <mutex key>:<bot>:<id>}
 *       ({@link #boundedKey(String)}), where {@code id} comes from Slack's own ids and timestamps, never
 *       from a broker's clock.
 *   <li>{@link MutexMode#HASH}: the field {@link #hashField()} of the mutex hash. For an RTM bot's event
 *       it is the Go broker's {@code bot_message:<channel>:<event_timestamp>}, byte for byte, so that Java and
 *       Go brokers of one fleet push each event once (and, as in the Go broker, an event whose
 *       {@code event_timestamp} is a broker's clock is pushed by each broker). A Slack app's event, which
 *       Go brokers never see, uses its bounded id instead: built from Slack's {@code event_id},
 *       {@code trigger_id}, Socket Mode {@code envelope_id} or a signed request's digest, so that a replay
 *       or a redelivery is pushed once in this mode too.
 * </ul>
 *
 * @param bot the bot's hash field ({@code <team>} or {@code <namespace>-<team>})
 * @param id the event's id within the bot, such as {@code message_new:<channel>:<ts>}
 * @param goField the Go broker's hash field, or null when the event is not one the Go broker dedupes
 */
public record DedupeKey(String bot, String id, String goField) {
    public DedupeKey {
        Objects.requireNonNull(bot, "bot");
        Objects.requireNonNull(id, "id");
    }

    /** An RTM bot's event: {@code id} for the bounded key, the Go broker's field for the hash. */
    public static DedupeKey rtm(BotId bot, String id, String channel, String eventTimestamp) {
        return new DedupeKey(bot.hashField(), id, "bot_message:" + channel + ":" + eventTimestamp);
    }

    /** A Slack app's event: {@code id} (from Slack's own ids) in both modes. */
    public static DedupeKey app(BotId bot, String id) {
        return new DedupeKey(bot.hashField(), id, null);
    }

    /**
     * This key for an event of app {@code appId}: two apps installed in one workspace (or an app beside an
     * RTM bot of the same namespace) each get their own copy of a post, which would otherwise share the
     * channel-and-ts id and be pushed once.
     */
    public DedupeKey forApp(String appId) {
        return new DedupeKey(bot, "app:" + appId + ":" + id, null);
    }

    /** The string key of {@link MutexMode#BOUNDED}: {@code <mutex key>:<bot>:<id>}. */
    public String boundedKey(String mutexKey) {
        return mutexKey + ":" + bot + ":" + id;
    }

    /** The field of the mutex hash in {@link MutexMode#HASH}. */
    public String hashField() {
        return goField != null ? goField : bot + ":" + id;
    }
}
