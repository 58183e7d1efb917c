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
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.Command;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Commands (bot and app) as JSON, for {@link RelaxJson}: unknown types and missing ids fail. */
final class CommandJson {
    private CommandJson() {}

    /** The command as JSON: {@code type}, {@code team_id}, {@code namespace}, and for messages {@code id} and {@code payload}. */
    static String encode(Command command) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonReading.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_TYPE, command.type());
            switch (command) {
                case Command.BotCommand bot -> {
                    g.writeStringField(FIELD_TEAM_ID, bot.bot().teamId());
                    g.writeStringField(FIELD_NAMESPACE, bot.bot().namespace());
                    if (bot instanceof Command.SendMessage m) {
                        g.writeStringField(FIELD_ID, m.id());
                        g.writeStringField(FIELD_PAYLOAD, m.payload());
                        if (m.wantsResult()) {
                            g.writeBooleanField(FIELD_RESULT, true);
                        }
                    }
                }
                case Command.AppCommand app -> {
                    g.writeStringField(FIELD_APP_ID, app.appId());
                    switch (app) {
                        case Command.InstallationAdded i -> g.writeStringField(FIELD_TEAM_ID, i.teamId());
                        case Command.InstallationRemoved i -> g.writeStringField(FIELD_TEAM_ID, i.teamId());
                        default -> {}
                    }
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a command to a string", e);
        }
        return out.toString();
    }

    /**
     * Reads a command. Fails when it is not a JSON object, has no {@code team_id}, or has a {@code type}
     * Relax does not know. A {@code message} without {@code id} reads with an empty id; the broker gives it one.
     */
    static Command decode(String json) {
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            JsonReading.expectObject(p, "command", json);
            String type = "", teamId = "", namespace = "", id = "", payload = "", appId = "";
            boolean wantsResult = false;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_TYPE -> type = JsonReading.string(p, name, "command", json);
                    case FIELD_TEAM_ID -> teamId = JsonReading.string(p, name, "command", json);
                    case FIELD_NAMESPACE -> namespace = JsonReading.string(p, name, "command", json);
                    case FIELD_APP_ID -> appId = JsonReading.string(p, name, "command", json);
                    case FIELD_ID ->
                        id = p.currentToken() == JsonToken.VALUE_NUMBER_INT
                                ? p.getText()
                                : JsonReading.string(p, name, "command", json);
                    case FIELD_PAYLOAD ->
                        payload = p.currentToken().isStructStart()
                                ? JsonReading.rawValue(p)
                                : JsonReading.string(p, name, "command", json);
                    case FIELD_RESULT -> wantsResult = p.currentToken() == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            JsonReading.expectEnd(p, "command", json);
            switch (type) {
                case COMMAND_APP_ADDED,
                        COMMAND_APP_REMOVED,
                        COMMAND_INSTALLATION_ADDED,
                        COMMAND_INSTALLATION_REMOVED -> {
                    return appCommand(type, appId, teamId, json);
                }
                default -> {}
            }
            if (teamId.isEmpty()) {
                throw JsonReading.invalid("command", "has no team_id", json);
            }
            BotId bot = new BotId(teamId, namespace);
            return switch (type) {
                case COMMAND_TEAM_ADDED -> new Command.TeamAdded(bot);
                case COMMAND_TEAM_REMOVED -> new Command.TeamRemoved(bot);
                case COMMAND_MESSAGE -> new Command.SendMessage(bot, id, payload, wantsResult);
                case "" -> throw JsonReading.invalid("command", "has no type", json);
                default ->
                    throw JsonReading.invalid(
                            "command",
                            "has unknown type '" + type + "' (expected team_added, team_removed, message, app_added, "
                                    + "app_removed, installation_added or installation_removed)",
                            json);
            };
        } catch (JsonProcessingException e) {
            throw JsonReading.malformed("command", e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Command appCommand(String type, String appId, String teamId, String json) {
        if (appId.isBlank()) {
            throw JsonReading.invalid("command", "has no app_id", json);
        }
        boolean installation = type.equals(COMMAND_INSTALLATION_ADDED) || type.equals(COMMAND_INSTALLATION_REMOVED);
        if (installation && teamId.isBlank()) {
            throw JsonReading.invalid("command", "has no team_id", json);
        }
        return switch (type) {
            case COMMAND_APP_ADDED -> new Command.AppAdded(appId);
            case COMMAND_APP_REMOVED -> new Command.AppRemoved(appId);
            case COMMAND_INSTALLATION_ADDED -> new Command.InstallationAdded(appId, teamId);
            default -> new Command.InstallationRemoved(appId, teamId);
        };
    }
}
