/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.testkit.Channel;

/**
 * Web API methods about identity and connections: auth.test, bots.info, rtm.connect, rtm.start,
 * apps.connections.open, users.info and conversations.info.
 */
final class ConnectMethods {
    private final SimulatorCore core;

    ConnectMethods(SimulatorCore core) {
        this.core = core;
    }

    /** https://api.slack.com/methods/auth.test */
    ObjectNode authTest(ApiRequest request, WebApi.Caller caller) {
        ObjectNode result = Json.object();
        result.put("url", "https://" + caller.team().domain() + ".slack.com/");
        result.put("team", caller.team().name());
        result.put("user", caller.bot().name());
        result.put("team_id", caller.team().id());
        result.put("user_id", caller.bot().id());
        if (caller.bot().isBot()) {
            result.put("bot_id", caller.bot().botId());
        }
        Installation installation = caller.team().installations().stream()
                .filter(candidate -> candidate.botUserId().equals(caller.bot().id()))
                .findFirst()
                .orElse(null);
        if (!caller.team().enterpriseId().isEmpty()) {
            result.put("enterprise_id", caller.team().enterpriseId());
        }
        result.put("is_enterprise_install", installation != null && installation.enterpriseInstall());
        return result;
    }

    /**
     * https://api.slack.com/methods/bots.info: the bot {@code bot} ({@code B…}) of the caller's workspace,
     * with {@code app_id} when the bot belongs to an app installed there (how a bot token finds its app:
     * auth.test gives the {@code bot_id}); {@code bot_not_found} for an id the workspace does not know.
     */
    ObjectNode botsInfo(ApiRequest request, WebApi.Caller caller) throws ApiError {
        String botId = request.arg("bot");
        TeamState team = caller.team();
        Member member = team.members().stream()
                .filter(candidate -> candidate.isBot() && candidate.botId().equals(botId))
                .findFirst()
                .orElseThrow(() -> new ApiError("bot_not_found"));
        ObjectNode bot = Json.object();
        bot.put("id", member.botId());
        bot.put("deleted", false);
        bot.put("name", member.name());
        bot.put("updated", member.created());
        team.installations().stream()
                .filter(installation -> installation.botUserId().equals(member.id()))
                .findFirst()
                .ifPresent(installation -> bot.put("app_id", installation.app().id()));
        bot.put("user_id", member.id());
        ObjectNode icons = bot.putObject("icons");
        for (int size : new int[] {36, 48, 72}) {
            icons.put("image_" + size, "https://avatars.slack-edge.com/" + member.botId() + "_" + size + ".png");
        }
        ObjectNode result = Json.object();
        result.set("bot", bot);
        return result;
    }

    /**
     * https://api.slack.com/methods/rtm.connect: a websocket URL, {@code self} and {@code team}, no
     * lists; {@code migration_in_progress} while the team is being migrated.
     */
    ObjectNode rtmConnect(ApiRequest request, WebApi.Caller caller) throws ApiError {
        TeamState team = caller.team();
        if (core.faults().migrating(team.id())) {
            throw new ApiError("migration_in_progress");
        }
        ObjectNode result = Json.object();
        result.put("url", core.socketUrl("/websocket/" + core.tickets().issue(caller.grant())));
        ObjectNode teamObject = result.putObject("team");
        teamObject.put("id", team.id());
        teamObject.put("name", team.name());
        teamObject.put("domain", team.domain());
        ObjectNode self = result.putObject("self");
        self.put("id", caller.bot().id());
        self.put("name", caller.bot().name());
        return result;
    }

    /** https://api.slack.com/methods/rtm.start: rtm.connect plus the users, channels, groups and ims lists. */
    ObjectNode rtmStart(ApiRequest request, WebApi.Caller caller) throws ApiError {
        ObjectNode result = rtmConnect(request, caller);
        TeamState team = caller.team();
        Member bot = caller.bot();
        ObjectNode self = (ObjectNode) result.get("self");
        self.putObject("prefs");
        self.put("created", bot.created());
        self.put("manual_presence", "active");
        ArrayNode users = result.putArray("users");
        team.members().forEach(member -> users.add(Payloads.user(team, member)));
        ArrayNode channels = result.putArray("channels");
        ArrayNode groups = result.putArray("groups");
        ArrayNode ims = result.putArray("ims");
        for (ChannelInfo channel : team.channels()) {
            switch (channel.type()) {
                case CHANNEL -> channels.add(Payloads.channel(channel, bot.id()));
                case GROUP -> {
                    if (channel.members().contains(bot.id())) {
                        groups.add(Payloads.channel(channel, bot.id()));
                    }
                }
                case IM -> {
                    if (channel.members().contains(bot.id())) {
                        ims.add(Payloads.im(channel));
                    }
                }
            }
        }
        result.putArray("bots");
        result.put("cache_ts", core.ids().epochSeconds());
        return result;
    }

    /**
     * https://api.slack.com/methods/apps.connections.open: a Socket Mode URL for an app-level token;
     * {@code too_many_websockets} once the app holds the maximum number of open connections (10).
     */
    ObjectNode appsConnectionsOpen(ApiRequest request, WebApi.Caller caller) throws ApiError {
        AppState app = core.app(caller.grant().appId());
        if (app.socketMode().connections().size() >= core.settings().maxSocketModeConnections()) {
            throw new ApiError("too_many_websockets");
        }
        ObjectNode result = Json.object();
        result.put(
                "url", core.socketUrl("/link/?ticket=" + core.tickets().issue(caller.grant()) + "&app_id=" + app.id()));
        return result;
    }

    /** https://api.slack.com/methods/users.info */
    ObjectNode usersInfo(ApiRequest request, WebApi.Caller caller) throws ApiError {
        Member member = caller.team().member(request.arg("user"));
        if (member == null) {
            throw new ApiError("user_not_found");
        }
        ObjectNode result = Json.object();
        result.set("user", Payloads.user(caller.team(), member));
        return result;
    }

    /** https://api.slack.com/methods/conversations.info */
    ObjectNode conversationsInfo(ApiRequest request, WebApi.Caller caller) throws ApiError {
        ChannelInfo channel = caller.team().channel(request.arg("channel"));
        if (channel == null
                || channel.type() != Channel.Type.CHANNEL
                        && !channel.members().contains(caller.bot().id())) {
            throw new ApiError("channel_not_found");
        }
        ObjectNode result = Json.object();
        result.set("channel", Payloads.channel(channel, caller.bot().id()));
        return result;
    }
}
