/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.WireEvent;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import java.io.UncheckedIOException;

/**
 * Reads and writes the Relax protocol's JSON: events, commands and bot registrations. Stateless and
 * thread-safe.
 *
 * <p>Writing follows the Go broker: every event field is written, in the contract's order, with
 * {@code "attachments":null} when there are none. Reading is lenient where the contract says so: missing
 * fields read as empty or false, unknown fields are kept (events) or ignored (commands, registrations).
 * A document that cannot be read fails with a {@link RelaxJsonException} whose message names the problem
 * and shows a redacted excerpt.
 *
 * <p>One codec class per kind of document sits behind this facade: {@code EventJson},
 * {@code CommandJson}, {@code RegistrationJson} (the stored bots, apps and installations).
 */
public final class RelaxJson {
    private RelaxJson() {}

    // ---- events -------------------------------------------------------------------------------------

    /** The event as one line of JSON, fields in the contract's order. */
    public static String encodeEvent(WireEvent event) {
        return EventJson.encode(event);
    }

    /** Reads one event; see the class comment for what is tolerated. */
    public static WireEvent decodeEvent(String json) {
        return EventJson.decode(json);
    }

    /** Reads one event and returns its typed view. */
    public static RelaxEvent decodeTypedEvent(String json) {
        return RelaxEvent.of(decodeEvent(json));
    }

    // ---- commands -----------------------------------------------------------------------------------

    /** The command as JSON: {@code type}, {@code team_id}, {@code namespace}, and for messages {@code id} and {@code payload}. */
    public static String encodeCommand(Command command) {
        return CommandJson.encode(command);
    }

    /**
     * Reads a command. Fails when it is not a JSON object, has no {@code team_id}, or has a {@code type}
     * Relax does not know. A {@code message} without {@code id} reads with an empty id; the broker gives it one.
     */
    public static Command decodeCommand(String json) {
        return CommandJson.decode(json);
    }

    // ---- registrations ------------------------------------------------------------------------------

    /** The registration as stored in the bots hash, in plain text (what the Go broker reads). */
    public static String encodeRegistration(BotRegistration registration) {
        return RegistrationJson.encodeRegistration(registration, EncryptionKeys.none());
    }

    /** As above, the token sealed under {@code keys} (no keys: plain text). */
    public static String encodeRegistration(BotRegistration registration, EncryptionKeys keys) {
        return RegistrationJson.encodeRegistration(registration, keys);
    }

    /**
     * Reads a registration. Fails when it is not a JSON object or has no {@code team_id}; unknown fields
     * are ignored, {@code provider} defaults to {@code slack}. A sealed token fails: use the overload with keys.
     */
    public static BotRegistration decodeRegistration(String json) {
        return RegistrationJson.decodeRegistration(json, EncryptionKeys.none());
    }

    /** As above, a sealed token opened with {@code keys} (a {@code RelaxException} naming the bot when it cannot be). */
    public static BotRegistration decodeRegistration(String json, EncryptionKeys keys) {
        return RegistrationJson.decodeRegistration(json, keys);
    }

    /** The app registration as stored in the apps hash, in plain text. */
    public static String encodeApp(AppRegistration app) {
        return RegistrationJson.encodeApp(app, EncryptionKeys.none());
    }

    /** As above, its secrets (app token, signing secret, client secret) sealed under {@code keys}. */
    public static String encodeApp(AppRegistration app, EncryptionKeys keys) {
        return RegistrationJson.encodeApp(app, keys);
    }

    /**
     * Reads an app registration. Fails when it is not a JSON object, has no {@code app_id}, or asks for
     * a number of connections outside 1..10; unknown fields are ignored. A sealed secret fails: use the
     * overload with keys.
     */
    public static AppRegistration decodeApp(String json) {
        return RegistrationJson.decodeApp(json, EncryptionKeys.none());
    }

    /** As above, sealed secrets opened with {@code keys} (a {@code RelaxException} naming the app when they cannot be). */
    public static AppRegistration decodeApp(String json, EncryptionKeys keys) {
        return RegistrationJson.decodeApp(json, keys);
    }

    /** The installation as stored in the installations hash, in plain text. */
    public static String encodeInstallation(Installation installation) {
        return RegistrationJson.encodeInstallation(installation, EncryptionKeys.none());
    }

    /** As above, its tokens sealed under {@code keys}. */
    public static String encodeInstallation(Installation installation, EncryptionKeys keys) {
        return RegistrationJson.encodeInstallation(installation, keys);
    }

    /**
     * Reads an installation. Fails when it is not a JSON object or lacks {@code app_id} or {@code team_id}
     * (org-wide: {@code enterprise_id}). A sealed token fails: use the overload with keys.
     */
    public static Installation decodeInstallation(String json) {
        return RegistrationJson.decodeInstallation(json, EncryptionKeys.none());
    }

    /**
     * As above, sealed tokens opened with {@code keys} (a {@code RelaxException} naming the app and team
     * when they cannot be).
     */
    public static Installation decodeInstallation(String json, EncryptionKeys keys) {
        return RegistrationJson.decodeInstallation(json, keys);
    }

    /** {@code text} as a JSON string literal, quotes included: for building small documents by hand. */
    public static String quote(String text) {
        try {
            return JsonReading.MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
