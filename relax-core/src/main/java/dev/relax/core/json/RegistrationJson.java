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
import dev.relax.core.Secret;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Installation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * What the bots, apps and installations hashes store, for {@link RelaxJson}. These documents carry
 * secrets: tokens are stripped of surrounding white space, and errors show redacted excerpts only.
 */
final class RegistrationJson {
    private RegistrationJson() {}

    /** The registration as stored in the bots hash: {@code team_id}, {@code token}, {@code provider}, {@code namespace}. */
    static String encodeRegistration(BotRegistration registration) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_TEAM_ID, registration.teamId());
            g.writeStringField(FIELD_TOKEN, registration.token().reveal());
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
    static BotRegistration decodeRegistration(String json) {
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
            return new BotRegistration(teamId, Secret.of(token.strip()), provider, namespace);
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed("bot registration", e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app registration as stored in the apps hash. */
    static String encodeApp(AppRegistration app) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_APP_ID, app.appId());
            g.writeStringField(FIELD_APP_TOKEN, app.appToken().reveal());
            g.writeStringField(FIELD_SIGNING_SECRET, app.signingSecret().reveal());
            g.writeStringField(FIELD_NAMESPACE, app.namespace());
            g.writeNumberField(FIELD_CONNECTIONS, app.connections());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an app registration to a string", e);
        }
        return out.toString();
    }

    /**
     * Reads an app registration. Fails when it is not a JSON object, has no {@code app_id}, or asks for
     * a number of connections outside 1..10; unknown fields are ignored.
     */
    static AppRegistration decodeApp(String json) {
        String what = "app registration";
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            JsonReading.expectObject(p, what, json);
            String appId = "", appToken = "", signingSecret = "", namespace = "";
            int connections = 0;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_APP_ID -> appId = JsonReading.string(p, name, what, json);
                    case FIELD_APP_TOKEN -> appToken = JsonReading.string(p, name, what, json);
                    case FIELD_SIGNING_SECRET -> signingSecret = JsonReading.string(p, name, what, json);
                    case FIELD_NAMESPACE -> namespace = JsonReading.string(p, name, what, json);
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
            if (appId.isBlank()) {
                throw JsonReading.invalid(what, "has no app_id", json);
            }
            if (connections < 0 || connections > MAX_APP_CONNECTIONS) {
                throw JsonReading.invalid(
                        what,
                        "asks for " + connections + " connections (Slack allows 1.." + MAX_APP_CONNECTIONS + ")",
                        json);
            }
            return new AppRegistration(
                    appId, Secret.of(appToken.strip()), Secret.of(signingSecret.strip()), namespace, connections);
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed(what, e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The installation as stored in the installations hash. */
    static String encodeInstallation(Installation installation) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_APP_ID, installation.appId());
            g.writeStringField(FIELD_TEAM_ID, installation.teamId());
            g.writeStringField(FIELD_BOT_USER_ID, installation.botUserId());
            g.writeStringField(FIELD_BOT_TOKEN, installation.botToken().reveal());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an installation to a string", e);
        }
        return out.toString();
    }

    /** Reads an installation. Fails when it is not a JSON object or lacks {@code app_id} or {@code team_id}. */
    static Installation decodeInstallation(String json) {
        String what = "installation";
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            JsonReading.expectObject(p, what, json);
            String appId = "", teamId = "", botUserId = "", botToken = "";
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_APP_ID -> appId = JsonReading.string(p, name, what, json);
                    case FIELD_TEAM_ID -> teamId = JsonReading.string(p, name, what, json);
                    case FIELD_BOT_USER_ID -> botUserId = JsonReading.string(p, name, what, json);
                    case FIELD_BOT_TOKEN -> botToken = JsonReading.string(p, name, what, json);
                    default -> p.skipChildren();
                }
            }
            JsonReading.expectEnd(p, what, json);
            if (appId.isBlank()) {
                throw JsonReading.invalid(what, "has no app_id", json);
            }
            if (teamId.isBlank()) {
                throw JsonReading.invalid(what, "has no team_id", json);
            }
            return new Installation(appId, teamId, botUserId, Secret.of(botToken.strip()));
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed(what, e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
