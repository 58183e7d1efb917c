package dev.relax.core.json;

import static dev.relax.core.protocol.Protocol.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.Secret;
import dev.relax.core.event.RelaxEvent;
import dev.relax.core.event.WireEvent;
import dev.relax.core.internal.Redaction;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotId;
import dev.relax.core.protocol.BotRegistration;
import dev.relax.core.protocol.Command;
import dev.relax.core.protocol.Installation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the Relax protocol's JSON: events, commands and bot registrations. Stateless and
 * thread-safe.
 *
 * <p>Writing follows the Go broker: every event field is written, in the contract's order, with
 * {@code "attachments":null} when there are none. Reading is lenient where the contract says so: missing
 * fields read as empty or false, unknown fields are kept (events) or ignored (commands, registrations).
 * A document that cannot be read fails with a {@link RelaxJsonException} whose message names the problem
 * and shows a redacted excerpt.
 */
public final class RelaxJson {
    private static final int EXCERPT_WIDTH = 80;
    /** The documents that hold secrets: their excerpts are shown only when a field name can say what to mask. */
    private static final java.util.Set<String> SECRET_BEARING =
            java.util.Set.of("bot registration", "app registration", "installation");
    /** Input Jackson quotes in its messages: a word or several characters in single quotes. */
    private static final java.util.regex.Pattern QUOTED_INPUT = java.util.regex.Pattern.compile("'([^']{2,})'");
    /** Jackson's "Numeric value (12345) out of range": the number is input too. */
    private static final java.util.regex.Pattern NUMBER_INPUT = java.util.regex.Pattern.compile("value \\([^)]*\\)");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private RelaxJson() {}

    // ---- events -------------------------------------------------------------------------------------

    /** The event as one line of JSON, fields in the contract's order. */
    public static String encodeEvent(WireEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_TYPE, event.type());
            g.writeStringField(FIELD_USER_UID, event.userUid());
            g.writeStringField(FIELD_CHANNEL_UID, event.channelUid());
            g.writeStringField(FIELD_TEAM_UID, event.teamUid());
            g.writeBooleanField(FIELD_IM, event.im());
            g.writeStringField(FIELD_TEXT, event.text());
            g.writeStringField(FIELD_RELAX_BOT_UID, event.relaxBotUid());
            g.writeStringField(FIELD_TIMESTAMP, event.timestamp());
            g.writeStringField(FIELD_PROVIDER, event.provider());
            g.writeStringField(FIELD_EVENT_TIMESTAMP, event.eventTimestamp());
            g.writeStringField(FIELD_NAMESPACE, event.namespace());
            g.writeFieldName(FIELD_ATTACHMENTS);
            if (event.attachmentsJson() == null) {
                g.writeNull();
            } else {
                g.writeRawValue(event.attachmentsJson());
            }
            for (Map.Entry<String, String> extra : event.extraJson().entrySet()) {
                g.writeFieldName(extra.getKey());
                g.writeRawValue(extra.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an event to a string", e);
        }
        return out.toString();
    }

    /** Reads one event; see the class comment for what is tolerated. */
    public static WireEvent decodeEvent(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            expectObject(p, "event", json);
            WireEvent.Builder b = null;
            String type = "";
            String userUid = "", channelUid = "", teamUid = "", text = "", relaxBotUid = "", timestamp = "";
            String provider = "", eventTimestamp = "", namespace = "";
            boolean im = false;
            String attachments = null;
            Map<String, String> extra = null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case FIELD_TYPE -> type = string(p, name, "event", json);
                    case FIELD_USER_UID -> userUid = string(p, name, "event", json);
                    case FIELD_CHANNEL_UID -> channelUid = string(p, name, "event", json);
                    case FIELD_TEAM_UID -> teamUid = string(p, name, "event", json);
                    case FIELD_IM -> im = bool(p, name, json);
                    case FIELD_TEXT -> text = string(p, name, "event", json);
                    case FIELD_RELAX_BOT_UID -> relaxBotUid = string(p, name, "event", json);
                    case FIELD_TIMESTAMP -> timestamp = string(p, name, "event", json);
                    case FIELD_PROVIDER -> provider = string(p, name, "event", json);
                    case FIELD_EVENT_TIMESTAMP -> eventTimestamp = string(p, name, "event", json);
                    case FIELD_NAMESPACE -> namespace = string(p, name, "event", json);
                    case FIELD_ATTACHMENTS -> attachments = value == JsonToken.VALUE_NULL ? null : rawValue(p);
                    default -> {
                        if (extra == null) {
                            extra = new LinkedHashMap<>();
                        }
                        extra.put(name, rawValue(p));
                    }
                }
            }
            expectEnd(p, "event", json);
            return new WireEvent(
                    type,
                    userUid,
                    channelUid,
                    teamUid,
                    im,
                    text,
                    relaxBotUid,
                    timestamp,
                    provider,
                    eventTimestamp,
                    namespace,
                    attachments,
                    extra);
        } catch (JsonProcessingException e) {
            throw malformed("event", e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one event and returns its typed view. */
    public static RelaxEvent decodeTypedEvent(String json) {
        return RelaxEvent.of(decodeEvent(json));
    }

    // ---- commands -----------------------------------------------------------------------------------

    /** The command as JSON: {@code type}, {@code team_id}, {@code namespace}, and for messages {@code id} and {@code payload}. */
    public static String encodeCommand(Command command) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(FIELD_TYPE, command.type());
            switch (command) {
                case Command.BotCommand bot -> {
                    g.writeStringField(FIELD_TEAM_ID, bot.bot().teamId());
                    g.writeStringField(FIELD_NAMESPACE, bot.bot().namespace());
                    if (bot instanceof Command.SendMessage m) {
                        g.writeStringField(FIELD_ID, m.id());
                        g.writeStringField(FIELD_PAYLOAD, m.payload());
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
    public static Command decodeCommand(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            expectObject(p, "command", json);
            String type = "", teamId = "", namespace = "", id = "", payload = "", appId = "";
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_TYPE -> type = string(p, name, "command", json);
                    case FIELD_TEAM_ID -> teamId = string(p, name, "command", json);
                    case FIELD_NAMESPACE -> namespace = string(p, name, "command", json);
                    case FIELD_APP_ID -> appId = string(p, name, "command", json);
                    case FIELD_ID ->
                        id = p.currentToken() == JsonToken.VALUE_NUMBER_INT
                                ? p.getText()
                                : string(p, name, "command", json);
                    case FIELD_PAYLOAD ->
                        payload = p.currentToken().isStructStart() ? rawValue(p) : string(p, name, "command", json);
                    default -> p.skipChildren();
                }
            }
            expectEnd(p, "command", json);
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
                throw invalid("command", "has no team_id", json);
            }
            BotId bot = new BotId(teamId, namespace);
            return switch (type) {
                case COMMAND_TEAM_ADDED -> new Command.TeamAdded(bot);
                case COMMAND_TEAM_REMOVED -> new Command.TeamRemoved(bot);
                case COMMAND_MESSAGE -> new Command.SendMessage(bot, id, payload);
                case "" -> throw invalid("command", "has no type", json);
                default ->
                    throw invalid(
                            "command",
                            "has unknown type '" + type + "' (expected team_added, team_removed, message, app_added, "
                                    + "app_removed, installation_added or installation_removed)",
                            json);
            };
        } catch (JsonProcessingException e) {
            throw malformed("command", e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Command appCommand(String type, String appId, String teamId, String json) {
        if (appId.isBlank()) {
            throw invalid("command", "has no app_id", json);
        }
        boolean installation = type.equals(COMMAND_INSTALLATION_ADDED) || type.equals(COMMAND_INSTALLATION_REMOVED);
        if (installation && teamId.isBlank()) {
            throw invalid("command", "has no team_id", json);
        }
        return switch (type) {
            case COMMAND_APP_ADDED -> new Command.AppAdded(appId);
            case COMMAND_APP_REMOVED -> new Command.AppRemoved(appId);
            case COMMAND_INSTALLATION_ADDED -> new Command.InstallationAdded(appId, teamId);
            default -> new Command.InstallationRemoved(appId, teamId);
        };
    }

    // ---- registrations ------------------------------------------------------------------------------

    /** The registration as stored in the bots hash: {@code team_id}, {@code token}, {@code provider}, {@code namespace}. */
    public static String encodeRegistration(BotRegistration registration) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
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
    public static BotRegistration decodeRegistration(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            expectObject(p, "bot registration", json);
            String teamId = "", token = "", provider = "", namespace = "";
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_TEAM_ID -> teamId = string(p, name, "bot registration", json);
                    case FIELD_TOKEN -> token = string(p, name, "bot registration", json);
                    case FIELD_PROVIDER -> provider = string(p, name, "bot registration", json);
                    case FIELD_NAMESPACE -> namespace = string(p, name, "bot registration", json);
                    default -> p.skipChildren();
                }
            }
            expectEnd(p, "bot registration", json);
            if (teamId.isBlank()) {
                throw invalid("bot registration", "has no team_id", json);
            }
            // Surrounding white space in a token (a pasted newline) would break the HTTP header Slack reads it from.
            return new BotRegistration(teamId, Secret.of(token.strip()), provider, namespace);
        } catch (JsonProcessingException e) {
            throw malformed("bot registration", e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app registration as stored in the apps hash. */
    public static String encodeApp(AppRegistration app) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
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
    public static AppRegistration decodeApp(String json) {
        String what = "app registration";
        try (JsonParser p = FACTORY.createParser(json)) {
            expectObject(p, what, json);
            String appId = "", appToken = "", signingSecret = "", namespace = "";
            int connections = 0;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_APP_ID -> appId = string(p, name, what, json);
                    case FIELD_APP_TOKEN -> appToken = string(p, name, what, json);
                    case FIELD_SIGNING_SECRET -> signingSecret = string(p, name, what, json);
                    case FIELD_NAMESPACE -> namespace = string(p, name, what, json);
                    case FIELD_CONNECTIONS -> {
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                            throw invalid(what, "has a non-integer connections", json);
                        }
                        connections = p.getIntValue();
                    }
                    default -> p.skipChildren();
                }
            }
            expectEnd(p, what, json);
            if (appId.isBlank()) {
                throw invalid(what, "has no app_id", json);
            }
            if (connections < 0 || connections > MAX_APP_CONNECTIONS) {
                throw invalid(
                        what,
                        "asks for " + connections + " connections (Slack allows 1.." + MAX_APP_CONNECTIONS + ")",
                        json);
            }
            return new AppRegistration(
                    appId, Secret.of(appToken.strip()), Secret.of(signingSecret.strip()), namespace, connections);
        } catch (JsonProcessingException e) {
            throw malformed(what, e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The installation as stored in the installations hash. */
    public static String encodeInstallation(Installation installation) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
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
    public static Installation decodeInstallation(String json) {
        String what = "installation";
        try (JsonParser p = FACTORY.createParser(json)) {
            expectObject(p, what, json);
            String appId = "", teamId = "", botUserId = "", botToken = "";
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                switch (name) {
                    case FIELD_APP_ID -> appId = string(p, name, what, json);
                    case FIELD_TEAM_ID -> teamId = string(p, name, what, json);
                    case FIELD_BOT_USER_ID -> botUserId = string(p, name, what, json);
                    case FIELD_BOT_TOKEN -> botToken = string(p, name, what, json);
                    default -> p.skipChildren();
                }
            }
            expectEnd(p, what, json);
            if (appId.isBlank()) {
                throw invalid(what, "has no app_id", json);
            }
            if (teamId.isBlank()) {
                throw invalid(what, "has no team_id", json);
            }
            return new Installation(appId, teamId, botUserId, Secret.of(botToken.strip()));
        } catch (JsonProcessingException e) {
            throw malformed(what, e, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} as a JSON string literal, quotes included: for building small documents by hand. */
    public static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void expectObject(JsonParser p, String what, String json) throws IOException {
        if (json == null) {
            throw invalid(what, "is null", "");
        }
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw invalid(what, first == null ? "is empty" : "is not a JSON object", json);
        }
    }

    private static void expectEnd(JsonParser p, String what, String json) throws IOException {
        if (p.nextToken() != null) {
            throw invalid(what, "has content after the closing brace", json);
        }
    }

    /** A string field's value; numbers and booleans are read as their text, null as empty. */
    private static String string(JsonParser p, String name, String what, String json) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        throw invalid(what, "field '" + name + "' must be a string, was " + describe(t), json);
    }

    private static boolean bool(JsonParser p, String name, String json) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            case VALUE_STRING -> Boolean.parseBoolean(p.getText().trim());
            default ->
                throw invalid(
                        "event", "field '" + name + "' must be a boolean, was " + describe(p.currentToken()), json);
        };
    }

    private static String rawValue(JsonParser p) throws IOException {
        JsonNode node = MAPPER.readTree(p);
        return MAPPER.writeValueAsString(node);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            default -> t.toString();
        };
    }

    private static RelaxJsonException invalid(String what, String problem, String json) {
        return new RelaxJsonException("invalid " + what, problem, excerpt(what, json, 0), null);
    }

    /**
     * The redacted excerpt of {@code json} around {@code offset}; none of a registration, app or installation
     * that is not even an object (a token stored bare, say), where no field name tells what is secret.
     */
    private static String excerpt(String what, String json, long offset) {
        if (SECRET_BEARING.contains(what) && json != null && !json.strip().startsWith("{")) {
            return "not shown: " + json.length() + " characters that are not a JSON object";
        }
        return Redaction.excerpt(json, offset, EXCERPT_WIDTH);
    }

    /**
     * Jackson's description of a syntax error, without the input it quotes: "Unrecognized token 'abc'"
     * names the bare word it met, which in a registration may be an unquoted secret of any shape.
     */
    private static String parserProblem(String message) {
        String out = QUOTED_INPUT.matcher(String.valueOf(message)).replaceAll(m -> switch (m.group(1)) {
            case "null", "true", "false" -> m.group();
            default -> "'****'";
        });
        return Redaction.redact(NUMBER_INPUT.matcher(out).replaceAll("value (****)"));
    }

    private static RelaxJsonException malformed(String what, JsonProcessingException e, String json) {
        long offset = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        String problem = parserProblem(e.getOriginalMessage());
        return new RelaxJsonException(
                "malformed " + what + " JSON" + where, problem, excerpt(what, json, offset), null);
    }
}
