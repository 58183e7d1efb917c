/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import static dev.relax.broker.internal.slack.SlackJson.text;
import static dev.relax.core.protocol.Protocol.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.broker.internal.slack.BotIdentity;
import dev.relax.broker.internal.slack.DedupeKey;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.broker.internal.slack.SlackJson;
import dev.relax.broker.internal.slack.Translated;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.BotId;
import java.time.Clock;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a Slack app receives (Events API {@code event_callback} bodies, slash commands,
 * interactions; the same over Socket Mode and HTTP) into Relax events. {@link #translate} is the one entry
 * both transports use; pure apart from the clock and the ERROR line of a payload it cannot translate.
 *
 * <p>Events RTM also has ({@code message} and its subtypes, {@code reaction_*}, {@code team_join},
 * {@code im_created}) go through {@link RtmTranslator}, so they come out exactly as an RTM bot's would.
 * {@code app_mention} becomes the {@code message_new} of its message: Slack sends a post that mentions
 * the app twice, as {@code message} and as {@code app_mention} (https://api.slack.com/events/app_mention),
 * and both get the same dedupe id (channel and ts), so the queue holds it once. The bot's own
 * {@code member_joined_channel} is {@code channel_joined}; {@code app_uninstalled} and a {@code
 * tokens_revoked} naming bot tokens are {@code disable_bot}. Every other event is a {@code slack_event}
 * with Slack's event in {@code payload}. Every event from an app also carries {@code relax_app_id}, and
 * Events API ones {@code slack_event_id}.
 *
 * <p>Every event's {@link DedupeKey} names the app and comes from Slack's own ids (the channel and
 * {@code ts} of a message, {@code event_id}, {@code trigger_id}, the Socket Mode {@code envelope_id}, or
 * the digest of a signed request without a trigger), never from the broker's clock, in both mutex modes:
 * a replayed request or a redelivered envelope is pushed once.
 */
public final class AppEventTranslator {
    private static final Logger log = LoggerFactory.getLogger(AppEventTranslator.class);

    private final RtmTranslator rtm;
    private final Clock clock;

    public AppEventTranslator(RtmTranslator rtm, Clock clock) {
        this.rtm = rtm;
        this.clock = clock;
    }

    /**
     * The event of what Slack sent an app, over Socket Mode or HTTP, or null when it is not one Relax
     * reports. Never throws for a payload: one Relax cannot translate (a shape Slack never documented) is
     * logged at ERROR and becomes {@link #untranslatable}, a {@code slack_event} with the payload raw, since
     * a redelivery would fail the same way and nothing Slack sent may be lost.
     *
     * @param deliveryId Slack's id of this delivery: the Socket Mode {@code envelope_id}, or for HTTP the
     *     request's digest (or its {@code event_id}); it keys a command or interaction without a {@code
     *     trigger_id}, and a raw payload
     * @param botUserId the app's bot user in a team, from the installation, or "" when unknown
     */
    public AppEvent translate(
            EnvelopeKind kind,
            AppRegistration app,
            JsonNode payload,
            String deliveryId,
            BiFunction<String, String, String> botUserId) {
        try {
            return switch (kind) {
                case EVENTS_API -> eventCallback(app, payload, botUserId);
                case SLASH_COMMANDS ->
                    slashCommand(app, payload, deliveryId, botUserId.apply(app.appId(), teamOf(kind, payload)));
                case INTERACTIVE ->
                    interaction(app, payload, deliveryId, botUserId.apply(app.appId(), teamOf(kind, payload)));
            };
        } catch (RuntimeException e) {
            log.error(
                    "app {}: {} payload {} could not be translated; written as a slack_event with its raw payload: {}",
                    app.appId(),
                    kind.envelopeType(),
                    deliveryId,
                    e.toString());
            return untranslatable(app, kind.envelopeType(), payload, deliveryId);
        }
    }

    /**
     * The workspace a payload of {@code kind} comes from: an event's {@code team_id} (else its event's
     * {@code team}), a command's {@code team_id}, an interaction's {@code team.id} (else its user's
     * {@code team_id}); "" when it names none.
     */
    public static String teamOf(EnvelopeKind kind, JsonNode payload) {
        return switch (kind) {
            case EVENTS_API -> teamOf(payload, payload.path("event"));
            case SLASH_COMMANDS -> text(payload, "team_id");
            case INTERACTIVE -> {
                String team = text(payload.path("team"), "id");
                yield team.isEmpty() ? text(payload.path("user"), "team_id") : team;
            }
        };
    }

    /**
     * The event of an {@code event_callback} body, or null when it is not one Relax reports (such as a
     * message subtype RTM bots do not report either).
     *
     * @param botUserId the app's bot user in a team, from the installation, or "" when unknown; used when
     *     the body's {@code authorizations} name no bot
     */
    public AppEvent eventCallback(AppRegistration app, JsonNode body, BiFunction<String, String, String> botUserId) {
        JsonNode event = body.path("event");
        if (!event.isObject()) {
            return null;
        }
        String team = teamOf(body, event);
        String bot = authorizedBot(body, team);
        if (bot.isEmpty()) {
            bot = botUserId.apply(app.appId(), team);
        }
        BotId id = new BotId(team, app.namespace());
        BotIdentity identity = new BotIdentity(id, bot);
        String eventId = text(body, "event_id");
        String type = text(event, "type");
        Translated t =
                switch (type) {
                    case "message", "reaction_added", "reaction_removed", "team_join", "im_created" ->
                        rtm.translate(identity, event);
                    case "app_mention" -> {
                        ObjectNode asMessage = ((ObjectNode) event).deepCopy();
                        asMessage.put("type", "message");
                        asMessage.remove("subtype");
                        yield rtm.translate(identity, asMessage);
                    }
                    case "member_joined_channel" -> {
                        if (!bot.isEmpty() && bot.equals(text(event, "user"))) {
                            ObjectNode joined = ((ObjectNode) event).objectNode();
                            joined.put("type", "channel_joined");
                            joined.putObject("channel").put("id", text(event, "channel"));
                            yield rtm.translate(identity, joined);
                        }
                        yield slackEvent(identity, event, eventId, body);
                    }
                    case "app_uninstalled" -> disable(identity, eventId);
                    case "tokens_revoked" ->
                        event.path("tokens").path("bot").isArray()
                                        && !event.path("tokens").path("bot").isEmpty()
                                ? disable(identity, eventId)
                                : slackEvent(identity, event, eventId, body);
                    default -> slackEvent(identity, event, eventId, body);
                };
        if (t == null) {
            return null;
        }
        WireEvent.Builder wire = t.event().toBuilder().extraJson(FIELD_RELAX_APP_ID, RelaxJson.quote(app.appId()));
        if (!eventId.isEmpty()) {
            wire.extraJson(FIELD_SLACK_EVENT_ID, RelaxJson.quote(eventId));
        }
        String threadTs = threadOf(t.event().type(), event);
        if (!threadTs.isEmpty()) {
            wire.extraJson(FIELD_THREAD_TS, RelaxJson.quote(threadTs));
        }
        // A message a bot posted carries its bot_id (https://api.slack.com/events/message): apps that answer
        // messages tell bots apart by it, so that two bots do not answer each other for ever.
        String botId = event.path("bot_id").asText("");
        if (t.event().type().equals("message_new") && !botId.isEmpty()) {
            wire.extraJson(FIELD_BOT_ID, RelaxJson.quote(botId));
        }
        return new AppEvent(id, new Translated(wire.build(), t.dedupe().forApp(app.appId())));
    }

    /**
     * The thread a message event belongs to: its {@code thread_ts}, or for an edit the edited message's
     * (https://api.slack.com/events/message/message_replied); "" for other events and top-level messages.
     */
    private static String threadOf(String relaxType, JsonNode event) {
        return switch (relaxType) {
            case EVENT_MESSAGE_NEW -> text(event, "thread_ts");
            case EVENT_MESSAGE_EDITED -> text(event.path("message"), "thread_ts");
            default -> "";
        };
    }

    /**
     * A slash command (https://api.slack.com/interactivity/slash-commands#app_command_handling): the
     * payload as an object (Socket Mode sends one; the HTTP form is turned into one first).
     */
    public AppEvent slashCommand(AppRegistration app, JsonNode payload, String fallbackId, String botUserId) {
        String team = teamOf(EnvelopeKind.SLASH_COMMANDS, payload);
        BotId id = new BotId(team, app.namespace());
        WireEvent e = base(id, botUserId, EVENT_SLASH_COMMAND)
                .userUid(text(payload, "user_id"))
                .channelUid(text(payload, "channel_id"))
                .im(text(payload, "channel_id").startsWith("D"))
                .text(text(payload, "text"))
                .eventTimestamp(nanos())
                .extraJson(FIELD_RELAX_APP_ID, RelaxJson.quote(app.appId()))
                .extraJson("command", RelaxJson.quote(text(payload, "command")))
                .extraJson("response_url", RelaxJson.quote(text(payload, "response_url")))
                .extraJson(FIELD_PAYLOAD, withoutToken(payload))
                .build();
        return new AppEvent(
                id,
                new Translated(
                        e,
                        DedupeKey.app(id, EVENT_SLASH_COMMAND + "::" + stableId(payload, fallbackId))
                                .forApp(app.appId())));
    }

    /** An interaction payload (https://api.slack.com/reference/interaction-payloads). */
    public AppEvent interaction(AppRegistration app, JsonNode payload, String fallbackId, String botUserId) {
        String team = teamOf(EnvelopeKind.INTERACTIVE, payload);
        String channel = text(payload.path("channel"), "id");
        if (channel.isEmpty()) {
            channel = text(payload.path("container"), "channel_id");
        }
        BotId id = new BotId(team, app.namespace());
        WireEvent.Builder e = base(id, botUserId, EVENT_INTERACTION)
                .userUid(text(payload.path("user"), "id"))
                .channelUid(channel)
                .im(channel.startsWith("D"))
                .timestamp(text(payload.path("container"), "message_ts"))
                .eventTimestamp(nanos())
                .extraJson(FIELD_RELAX_APP_ID, RelaxJson.quote(app.appId()))
                .extraJson("interaction_type", RelaxJson.quote(text(payload, "type")));
        if (!text(payload, "response_url").isEmpty()) {
            e.extraJson("response_url", RelaxJson.quote(text(payload, "response_url")));
        }
        e.extraJson(FIELD_PAYLOAD, withoutToken(payload));
        return new AppEvent(
                id,
                new Translated(
                        e.build(),
                        DedupeKey.app(id, EVENT_INTERACTION + "::" + stableId(payload, fallbackId))
                                .forApp(app.appId())));
    }

    /**
     * What Relax could not translate (a payload of a shape it does not expect): a {@code slack_event}
     * whose {@code slack_type} is the envelope type and whose {@code payload} is Slack's, as it came.
     */
    AppEvent untranslatable(AppRegistration app, String envelopeType, JsonNode payload, String envelopeId) {
        String team = payload.path("team_id").isTextual()
                ? payload.path("team_id").asText()
                : payload.path("team").path("id").asText("");
        BotId id = new BotId(team, app.namespace());
        WireEvent e = base(id, "", EVENT_SLACK_EVENT)
                .eventTimestamp(nanos())
                .extraJson(FIELD_RELAX_APP_ID, RelaxJson.quote(app.appId()))
                .extraJson("slack_type", RelaxJson.quote(envelopeType))
                .extraJson(FIELD_PAYLOAD, withoutToken(payload))
                .build();
        return new AppEvent(
                id,
                new Translated(
                        e,
                        DedupeKey.app(id, EVENT_SLACK_EVENT + "::envelope:" + envelopeId)
                                .forApp(app.appId())));
    }

    /**
     * The {@code disable_bot} of an app whose app-level token Slack refused, for every team (team empty).
     * Deduplicated by the token's fingerprint, so that every broker that tries the token emits it once.
     */
    public AppEvent appDisabled(AppRegistration app, String reason, String tokenFingerprint) {
        BotId id = new BotId("", app.namespace());
        WireEvent e = base(id, "", EVENT_DISABLE_BOT)
                .eventTimestamp(nanos())
                .extraJson(FIELD_RELAX_APP_ID, RelaxJson.quote(app.appId()))
                .extraJson("reason", RelaxJson.quote(reason))
                .build();
        return new AppEvent(
                id,
                new Translated(
                        e, DedupeKey.app(id, EVENT_DISABLE_BOT + ":app:" + app.appId() + ":" + tokenFingerprint)));
    }

    /**
     * The {@code disable_bot} of one installation whose rotating token Slack will not refresh any more
     * (the refresh token refused or revoked). Deduplicated by the refresh token's fingerprint, so that the
     * installation is disabled once however many brokers see the refusal.
     */
    public AppEvent installationDisabled(
            AppRegistration app, String teamId, String botUserId, String reason, String refreshFingerprint) {
        BotId id = new BotId(teamId, app.namespace());
        WireEvent e = base(id, botUserId, EVENT_DISABLE_BOT)
                .eventTimestamp(nanos())
                .extraJson(FIELD_RELAX_APP_ID, RelaxJson.quote(app.appId()))
                .extraJson("reason", RelaxJson.quote(reason))
                .build();
        return new AppEvent(
                id,
                new Translated(
                        e,
                        DedupeKey.app(id, EVENT_DISABLE_BOT + ":refresh:" + app.appId() + ":" + refreshFingerprint)));
    }

    private Translated disable(BotIdentity bot, String eventId) {
        WireEvent e = base(bot.id(), bot.selfId(), EVENT_DISABLE_BOT)
                .eventTimestamp(nanos())
                .build();
        return new Translated(e, DedupeKey.app(bot.id(), EVENT_DISABLE_BOT + "::" + eventId));
    }

    private Translated slackEvent(BotIdentity bot, JsonNode event, String eventId, JsonNode body) {
        String ts = text(event, "ts");
        String eventTs = text(event, "event_ts");
        String channel = text(event, "channel");
        if (channel.isEmpty()) {
            channel = text(event.path("channel"), "id");
        }
        if (channel.isEmpty()) {
            channel = text(event.path("item"), "channel");
        }
        String user = text(event, "user");
        if (user.isEmpty()) {
            user = text(event.path("user"), "id");
        }
        WireEvent e = base(bot.id(), bot.selfId(), EVENT_SLACK_EVENT)
                .userUid(user)
                .channelUid(channel)
                .im(channel.startsWith("D"))
                .timestamp(ts)
                .eventTimestamp(eventTs.isEmpty() ? nanos() : eventTs)
                .extraJson("slack_type", RelaxJson.quote(text(event, "type")))
                .extraJson(FIELD_PAYLOAD, event.toString())
                .build();
        String stable = eventId.isEmpty() ? text(event, "type") + ":" + eventTs + ":" + channel + ":" + user : eventId;
        return new Translated(e, DedupeKey.app(bot.id(), EVENT_SLACK_EVENT + "::" + stable));
    }

    /**
     * The payload as JSON without Slack's deprecated verification {@code token}, a shared secret of the
     * app that has no business in the events list (https://api.slack.com/authentication/verifying-requests-from-slack#deprecation).
     */
    private static String withoutToken(JsonNode payload) {
        if (payload instanceof ObjectNode o && o.has("token")) {
            ObjectNode copy = o.deepCopy();
            copy.remove("token");
            return copy.toString();
        }
        return payload.toString();
    }

    private static WireEvent.Builder base(BotId id, String botUserId, String type) {
        return WireEvent.builder(type)
                .teamUid(id.teamId())
                .namespace(id.namespace())
                .relaxBotUid(botUserId)
                .provider(PROVIDER_SLACK);
    }

    /** The workspace of the event: the body's {@code team_id}, else the event's own team. */
    private static String teamOf(JsonNode body, JsonNode event) {
        String team = text(body, "team_id");
        if (team.isEmpty()) {
            team = text(event, "team");
        }
        return team;
    }

    /**
     * The bot user among the body's {@code authorizations} (https://api.slack.com/apis/events-api#authorizations),
     * preferring the one for the event's team.
     */
    private static String authorizedBot(JsonNode body, String team) {
        String any = "";
        for (JsonNode a : body.path("authorizations")) {
            if (!a.path("is_bot").asBoolean(false)) {
                continue;
            }
            String user = text(a, "user_id");
            if (team.equals(text(a, "team_id"))) {
                return user;
            }
            if (any.isEmpty()) {
                any = user;
            }
        }
        return any;
    }

    private static String stableId(JsonNode payload, String fallbackId) {
        String trigger = text(payload, "trigger_id");
        return trigger.isEmpty() ? fallbackId : trigger;
    }

    private String nanos() {
        return SlackJson.nanos(clock);
    }
}
