/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.json;

import static dev.relax.core.protocol.Protocol.*;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.Secret;
import dev.relax.core.protocol.AppOAuth;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Installation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bots, apps and installations hashes store, for {@link RelaxJson}. These documents carry
 * secrets: tokens are stripped of surrounding white space, and errors show redacted excerpts only.
 */
final class RegistrationJson {
    private RegistrationJson() {}

    /**
     * The registration as stored in the bots hash: {@code team_id}, {@code token}, {@code provider}, {@code
     * namespace}; the token sealed under {@code keys} (none, by default: the Go broker reads this hash).
     */
    static String encodeRegistration(BotRegistration registration, EncryptionKeys keys) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_TEAM_ID, registration.teamId());
            g.writeStringField(
                    FIELD_TOKEN, keys.seal(registration.token(), "bot " + registration.teamId() + " " + FIELD_TOKEN));
            g.writeStringField(FIELD_PROVIDER, registration.provider());
            g.writeStringField(FIELD_NAMESPACE, registration.namespace());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a registration to a string", e);
        }
        return out.toString();
    }

    /**
     * Reads a registration. Fails when it is not a JSON object or has no {@code team_id}; unknown fields
     * are ignored, {@code provider} defaults to {@code slack}.
     */
    static BotRegistration decodeRegistration(String json, EncryptionKeys keys) {
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            JsonReading.expectObject(p, "bot registration", json);
            String teamId = "", token = "", provider = "", namespace = "";
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_TEAM_ID -> teamId = JsonReading.string(p, name, "bot registration", json);
                    case FIELD_TOKEN -> token = JsonReading.string(p, name, "bot registration", json);
                    case FIELD_PROVIDER -> provider = JsonReading.string(p, name, "bot registration", json);
                    case FIELD_NAMESPACE -> namespace = JsonReading.string(p, name, "bot registration", json);
                    default -> p.skipChildren();
                }
            }
            JsonReading.expectEnd(p, "bot registration", json);
            if (teamId.isBlank()) {
                throw JsonReading.invalid("bot registration", "has no team_id", json);
            }
            // Surrounding white space in a token (a pasted newline) would break the HTTP header Slack reads it from.
            Secret opened = keys.open(token.strip(), "bot " + teamId + " " + FIELD_TOKEN);
            return new BotRegistration(teamId, Secret.of(opened.reveal().strip()), provider, namespace);
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed("bot registration", e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app registration as stored in the apps hash, its secrets sealed under {@code keys}. */
    static String encodeApp(AppRegistration app, EncryptionKeys keys) {
        String place = "app " + app.appId() + " ";
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_APP_ID, app.appId());
            g.writeStringField(FIELD_APP_TOKEN, keys.seal(app.appToken(), place + FIELD_APP_TOKEN));
            g.writeStringField(FIELD_SIGNING_SECRET, keys.seal(app.signingSecret(), place + FIELD_SIGNING_SECRET));
            g.writeStringField(FIELD_NAMESPACE, app.namespace());
            g.writeNumberField(FIELD_CONNECTIONS, app.connections());
            AppOAuth oauth = app.oauth();
            if (oauth.enabled()) {
                g.writeStringField(FIELD_CLIENT_ID, oauth.clientId());
                g.writeStringField(FIELD_CLIENT_SECRET, keys.seal(oauth.clientSecret(), place + FIELD_CLIENT_SECRET));
                writeList(g, FIELD_BOT_SCOPES, oauth.botScopes());
                writeList(g, FIELD_USER_SCOPES, oauth.userScopes());
                g.writeStringField(FIELD_REDIRECT_URL, oauth.redirectUrl());
                g.writeStringField(FIELD_INSTALL_PAGE, oauth.directInstall() ? "redirect" : "button");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an app registration to a string", e);
        }
        return out.toString();
    }

    /**
     * Reads an app registration, opening its secrets with {@code keys}. Fails when it is not a JSON object,
     * has no {@code app_id}, or asks for a number of connections outside 1..10; unknown fields are ignored.
     */
    static AppRegistration decodeApp(String json, EncryptionKeys keys) {
        String what = "app registration";
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            JsonReading.expectObject(p, what, json);
            Map<String, String> text = new HashMap<>();
            List<String> botScopes = List.of(), userScopes = List.of();
            int connections = 0;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_APP_ID,
                            FIELD_APP_TOKEN,
                            FIELD_SIGNING_SECRET,
                            FIELD_NAMESPACE,
                            FIELD_CLIENT_ID,
                            FIELD_CLIENT_SECRET,
                            FIELD_REDIRECT_URL,
                            FIELD_INSTALL_PAGE -> text.put(name, JsonReading.string(p, name, what, json));
                    case FIELD_BOT_SCOPES -> botScopes = readList(p, name, what, json);
                    case FIELD_USER_SCOPES -> userScopes = readList(p, name, what, json);
                    case FIELD_CONNECTIONS -> {
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                            throw JsonReading.invalid(what, "has a non-integer connections", json);
                        }
                        connections = p.getIntValue();
                    }
                    default -> p.skipChildren();
                }
            }
            JsonReading.expectEnd(p, what, json);
            String appId = text.getOrDefault(FIELD_APP_ID, "");
            if (appId.isBlank()) {
                throw JsonReading.invalid(what, "has no app_id", json);
            }
            if (connections < 0 || connections > MAX_APP_CONNECTIONS) {
                throw JsonReading.invalid(
                        what,
                        "asks for " + connections + " connections (Slack allows 1.." + MAX_APP_CONNECTIONS + ")",
                        json);
            }
            String place = "app " + appId + " ";
            AppOAuth oauth = AppOAuth.NONE;
            if (!text.getOrDefault(FIELD_CLIENT_ID, "").isBlank()) {
                oauth = new AppOAuth(
                        text.get(FIELD_CLIENT_ID),
                        open(keys, text, FIELD_CLIENT_SECRET, place),
                        botScopes,
                        userScopes,
                        text.get(FIELD_REDIRECT_URL),
                        "redirect".equals(text.get(FIELD_INSTALL_PAGE)));
            }
            return new AppRegistration(
                    appId,
                    open(keys, text, FIELD_APP_TOKEN, place),
                    open(keys, text, FIELD_SIGNING_SECRET, place),
                    text.getOrDefault(FIELD_NAMESPACE, ""),
                    connections,
                    oauth);
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed(what, e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The installation as stored in the installations hash, its tokens sealed under {@code keys}; the
     * fields of Slack's OAuth flow only when set, so that an installation added by hand is stored as before.
     */
    static String encodeInstallation(Installation installation, EncryptionKeys keys) {
        String place = "installation " + installation.hashField() + " ";
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_APP_ID, installation.appId());
            g.writeStringField(FIELD_TEAM_ID, installation.teamId());
            g.writeStringField(FIELD_BOT_USER_ID, installation.botUserId());
            g.writeStringField(FIELD_BOT_TOKEN, keys.seal(installation.botToken(), place + FIELD_BOT_TOKEN));
            if (!installation.enterpriseId().isEmpty()) {
                g.writeStringField(FIELD_ENTERPRISE_ID, installation.enterpriseId());
                g.writeBooleanField(FIELD_IS_ENTERPRISE_INSTALL, installation.enterpriseInstall());
            }
            optional(g, FIELD_BOT_SCOPES, installation.botScopes());
            optional(g, FIELD_INSTALLER_USER_ID, installation.installerUserId());
            optional(g, FIELD_USER_TOKEN, keys.seal(installation.userToken(), place + FIELD_USER_TOKEN));
            optional(g, FIELD_USER_SCOPES, installation.userScopes());
            optional(
                    g,
                    FIELD_BOT_REFRESH_TOKEN,
                    keys.seal(installation.botRefreshToken(), place + FIELD_BOT_REFRESH_TOKEN));
            if (installation.botTokenExpiresAt() != null) {
                g.writeNumberField(
                        FIELD_BOT_TOKEN_EXPIRES_AT,
                        installation.botTokenExpiresAt().getEpochSecond());
            }
            optional(
                    g,
                    FIELD_USER_REFRESH_TOKEN,
                    keys.seal(installation.userRefreshToken(), place + FIELD_USER_REFRESH_TOKEN));
            if (installation.userTokenExpiresAt() != null) {
                g.writeNumberField(
                        FIELD_USER_TOKEN_EXPIRES_AT,
                        installation.userTokenExpiresAt().getEpochSecond());
            }
            if (installation.installedAt() != null) {
                g.writeNumberField(
                        FIELD_INSTALLED_AT, installation.installedAt().getEpochSecond());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an installation to a string", e);
        }
        return out.toString();
    }

    /**
     * Reads an installation, opening its tokens with {@code keys}. Fails when it is not a JSON object, lacks
     * {@code app_id}, or lacks {@code team_id} (or, org-wide, {@code enterprise_id}).
     */
    static Installation decodeInstallation(String json, EncryptionKeys keys) {
        String what = "installation";
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            JsonReading.expectObject(p, what, json);
            Map<String, String> text = new HashMap<>();
            boolean enterpriseInstall = false;
            Instant botExpiry = null, userExpiry = null, installedAt = null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_APP_ID,
                            FIELD_TEAM_ID,
                            FIELD_BOT_USER_ID,
                            FIELD_BOT_TOKEN,
                            FIELD_ENTERPRISE_ID,
                            FIELD_BOT_SCOPES,
                            FIELD_INSTALLER_USER_ID,
                            FIELD_USER_TOKEN,
                            FIELD_USER_SCOPES,
                            FIELD_BOT_REFRESH_TOKEN,
                            FIELD_USER_REFRESH_TOKEN -> text.put(name, JsonReading.string(p, name, what, json));
                    case FIELD_IS_ENTERPRISE_INSTALL -> enterpriseInstall = JsonReading.bool(p, name, json);
                    case FIELD_BOT_TOKEN_EXPIRES_AT -> botExpiry = epochSeconds(p, name, what, json);
                    case FIELD_USER_TOKEN_EXPIRES_AT -> userExpiry = epochSeconds(p, name, what, json);
                    case FIELD_INSTALLED_AT -> installedAt = epochSeconds(p, name, what, json);
                    default -> p.skipChildren();
                }
            }
            JsonReading.expectEnd(p, what, json);
            String appId = text.getOrDefault(FIELD_APP_ID, "");
            String teamId = text.getOrDefault(FIELD_TEAM_ID, "");
            String enterpriseId = text.getOrDefault(FIELD_ENTERPRISE_ID, "");
            if (appId.isBlank()) {
                throw JsonReading.invalid(what, "has no app_id", json);
            }
            if (enterpriseInstall ? enterpriseId.isBlank() : teamId.isBlank()) {
                throw JsonReading.invalid(what, enterpriseInstall ? "has no enterprise_id" : "has no team_id", json);
            }
            String place =
                    "installation " + Installation.hashField(appId, enterpriseInstall ? enterpriseId : teamId) + " ";
            return new Installation(
                    appId,
                    teamId,
                    text.getOrDefault(FIELD_BOT_USER_ID, ""),
                    open(keys, text, FIELD_BOT_TOKEN, place),
                    enterpriseId,
                    enterpriseInstall,
                    text.getOrDefault(FIELD_BOT_SCOPES, ""),
                    text.getOrDefault(FIELD_INSTALLER_USER_ID, ""),
                    open(keys, text, FIELD_USER_TOKEN, place),
                    text.getOrDefault(FIELD_USER_SCOPES, ""),
                    open(keys, text, FIELD_BOT_REFRESH_TOKEN, place),
                    botExpiry,
                    open(keys, text, FIELD_USER_REFRESH_TOKEN, place),
                    userExpiry,
                    installedAt);
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed(what, e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The secret in {@code field} of a stored document, opened with {@code keys} (plain text is read as it
     * is), stripped of surrounding white space (a pasted newline would break the HTTP header Slack reads a
     * token from).
     */
    private static Secret open(EncryptionKeys keys, Map<String, String> text, String field, String place) {
        String stored = text.getOrDefault(field, "");
        return Secret.of(keys.open(stored.strip(), place + field).reveal().strip());
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }

    private static void writeList(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static List<String> readList(JsonParser p, String name, String what, String json) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw JsonReading.invalid(what, "has a " + name + " that is not an array of strings", json);
        }
        List<String> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw JsonReading.invalid(what, "has a " + name + " that is not an array of strings", json);
            }
            values.add(p.getText());
        }
        return values;
    }

    private static Instant epochSeconds(JsonParser p, String name, String what, String json) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw JsonReading.invalid(what, "has a " + name + " that is not a time in epoch seconds", json);
        }
        return Instant.ofEpochSecond(p.getLongValue());
    }
}
