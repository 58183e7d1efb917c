/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.core.Secret;
import dev.relax.testkit.internal.AppState;
import dev.relax.testkit.internal.ChannelInfo;
import dev.relax.testkit.internal.Installation;
import dev.relax.testkit.internal.Json;
import dev.relax.testkit.internal.Member;
import dev.relax.testkit.internal.PendingCode;
import dev.relax.testkit.internal.SimulatorCore;
import dev.relax.testkit.internal.SocketConnection;
import dev.relax.testkit.internal.TeamState;
import dev.relax.testkit.internal.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A simulated Slack app: an app-level token for Socket Mode, a signing secret for the Events API, OAuth
 * client credentials, and installations into workspaces. Events of a workspace where the app is
 * installed reach it over Socket Mode, or, once {@link #eventsUrl(URI)} is set, as signed HTTP requests.
 *
 * <pre>{@code
 * App app = slack.app("A1").appToken("xapp-1-A1-secret");
 * Bot bot = app.install(ws, "xoxb-app", "UAPP");
 * // a client calls apps.connections.open with the xapp token and opens the socket
 * ws.as(alice).mention(bot, general, "hi");   // an events_api envelope each for message and app_mention
 * }</pre>
 */
public final class App {
    private final SimulatorCore core;
    private final AppState app;

    App(SimulatorCore core, AppState app) {
        this.core = core;
        this.app = app;
    }

    AppState state() {
        return app;
    }

    /** The app id, e.g. {@code A1}, sent as {@code api_app_id}. */
    public String id() {
        return app.id();
    }

    /** Registers the app-level token ({@code xapp-…}) that apps.connections.open accepts. */
    public App appToken(String token) {
        Tokens.Grant grant = core.tokens().register(token, Tokens.Kind.APP_LEVEL, "", "", app.id());
        app.appToken(grant.token());
        return this;
    }

    /** Sets the signing secret of Events API requests; a random one is used until then. */
    public App signingSecret(String secret) {
        app.signingSecret(Secret.of(SlackSimulator.requireId(secret, "secret")));
        return this;
    }

    /** The secret that signs Events API requests: give it to the code under test to verify them. */
    public Secret signingSecret() {
        return app.signingSecret();
    }

    /**
     * Sets the OAuth client id and secret that the authorize page and oauth.v2.access check; random ones
     * are used until then. The same as {@link #credentials}.
     */
    public App oauth(String clientId, String clientSecret) {
        return credentials(clientId, clientSecret);
    }

    /** Sets the OAuth client id and secret that oauth.v2.access checks; random ones are used until then. */
    public App credentials(String clientId, String clientSecret) {
        app.credentials(
                SlackSimulator.requireId(clientId, "clientId"),
                Secret.of(SlackSimulator.requireId(clientSecret, "clientSecret")));
        return this;
    }

    /** The OAuth client id that oauth.v2.access accepts. */
    public String clientId() {
        return app.clientId();
    }

    /** The OAuth client secret that oauth.v2.access accepts. */
    public Secret clientSecret() {
        return app.clientSecret();
    }

    /** As {@link #install(Workspace, String, String, String)} with a bot name derived from the app id. */
    public Bot install(Workspace workspace, String botToken, String botUserId) {
        return install(workspace, botToken, botUserId, app.id().toLowerCase(Locale.ROOT) + "-bot");
    }

    /**
     * Installs the app into a workspace with a bot user and bot token. The token works for the Web API
     * but not for RTM (as for every new Slack app), unless it is already a classic bot token of {@link
     * Workspace#bot}. From now on the workspace's events reach the app.
     */
    public Bot install(Workspace workspace, String botToken, String botUserId, String botName) {
        SlackSimulator.requireId(botUserId, "botUserId");
        TeamState team = workspace.state();
        Member bot = team.member(botUserId);
        if (bot == null) {
            bot = workspace.addMember(botUserId, botName, "B" + botUserId.substring(1));
        }
        Tokens.Grant grant = core.tokens().register(botToken, Tokens.Kind.APP_BOT, team.id(), bot.id(), app.id());
        Installation installation = new Installation(app, team.id(), bot.id(), grant.token());
        app.install(installation);
        team.installations().removeIf(existing -> existing.app() == app);
        team.installations().add(installation);
        return new Bot(team.id(), bot.id(), bot.botId(), bot.name(), grant.token());
    }

    /**
     * Adds a redirect URL of the app's OAuth settings. The authorize page accepts a {@code redirect_uri}
     * equal to one of them or below one (a sub-path), and uses the first when none is given; without any,
     * it shows an error page.
     */
    public App redirectUrl(URI url) {
        app.redirectUrls().add(Objects.requireNonNull(url, "url").toString());
        return this;
    }

    /**
     * Turns token rotation on (https://docs.slack.dev/authentication/using-token-rotation): tokens from
     * oauth.v2.access are then of the form {@code xoxe.xoxb-1-…} (bot) and {@code xoxe.xoxp-1-…} (user),
     * stop working {@code lifetime} later by the simulator's clock (Web API calls answer {@code
     * token_expired}), and come with a refresh token {@code xoxe-1-…} that works once. Slack's lifetime is
     * 12 hours.
     */
    public App tokenRotation(Duration lifetime) {
        app.tokenLifetime(SlackSimulator.requirePositive(lifetime));
        return this;
    }

    /** Lets an Enterprise Grid organization install the app into all its workspaces at once (an org-wide install). */
    public App orgWideInstall() {
        app.orgWideInstall(true);
        return this;
    }

    /**
     * A one-use OAuth code that oauth.v2.access exchanges for the bot token of an installation made with
     * {@link #install}, without the authorize page (no redirect URL to match). It expires after 10
     * minutes, as Slack's.
     */
    public String authorizationCode(Workspace workspace) {
        Installation installation = installation(workspace);
        String installer = workspace.state().members().stream()
                .filter(member -> !member.isBot())
                .map(Member::id)
                .findFirst()
                .orElse("");
        return app.newCode(new PendingCode(
                installation.teamId(),
                installation.enterpriseId(),
                false,
                installer,
                "",
                "",
                "",
                core.ids().now().plus(Duration.ofMinutes(10)),
                installation));
    }

    /**
     * Uninstalls the app from a workspace (from the whole organization for an org-wide installation): its
     * bot and user tokens there are revoked, refreshing them fails, and the app gets {@code tokens_revoked}
     * (https://api.slack.com/events/tokens_revoked) and then {@code app_uninstalled}
     * (https://api.slack.com/events/app_uninstalled); the workspace's events stop reaching it.
     */
    public void uninstall(Workspace workspace) {
        Installation installation = installation(workspace);
        List<TeamState> teams = installation.enterpriseInstall()
                ? core.teamsOf(installation.enterpriseId())
                : List.of(workspace.state());
        Set<String> bots = new TreeSet<>();
        Set<String> people = new TreeSet<>();
        for (Tokens.Grant grant : core.tokens().all()) {
            boolean here = installation.enterpriseInstall()
                    ? grant.teamId().isEmpty() && grant.enterpriseId().equals(installation.enterpriseId())
                    : grant.teamId().equals(installation.teamId());
            if (here
                    && grant.appId().equals(app.id())
                    && grant.kind() != Tokens.Kind.APP_LEVEL
                    && grant.state() == Tokens.State.ACTIVE) {
                (grant.kind() == Tokens.Kind.USER ? people : bots).add(grant.userId());
                core.disable(grant.token().reveal(), Tokens.State.REVOKED);
            }
        }
        ObjectNode revoked = SlackSimulator.eventOfType("tokens_revoked");
        ObjectNode tokens = revoked.putObject("tokens");
        people.forEach(tokens.putArray("oauth")::add);
        bots.forEach(tokens.putArray("bot")::add);
        app.deliverAppEvent(installation, revoked);
        app.deliverAppEvent(installation, SlackSimulator.eventOfType("app_uninstalled"));
        for (TeamState team : teams) {
            team.installations().removeIf(existing -> existing.app() == app);
            app.uninstall(team.id());
        }
    }

    /**
     * Switches event delivery to the Events API at {@code url}: first a signed {@code url_verification}
     * request, which must echo the challenge, as when the URL is saved in Slack's app settings.
     *
     * @throws IllegalStateException when the endpoint did not answer the challenge; delivery stays unchanged
     */
    public App eventsUrl(URI url) {
        Objects.requireNonNull(url, "url");
        try {
            if (!core.sender().verify(app, url)) {
                throw new IllegalStateException(
                        "the request URL " + url + " did not answer the url_verification challenge");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying " + url, e);
        }
        app.eventsUrl(url);
        return this;
    }

    /**
     * Sends a Socket Mode {@code disconnect} frame with {@code reason} to every open connection of the app;
     * a {@code refresh_requested} connection is closed after the simulator's {@code closeGrace}.
     */
    public void disconnect(DisconnectReason reason) {
        disconnect(reason, core.settings().closeGrace());
    }

    /**
     * Sends a Socket Mode {@code disconnect} frame with {@code reason} to every open connection of the app;
     * a {@code refresh_requested} connection is closed {@code closeAfter} later (Slack announces a refresh
     * some seconds ahead: https://api.slack.com/apis/socket-mode#disconnect).
     */
    public void disconnect(DisconnectReason reason, Duration closeAfter) {
        Objects.requireNonNull(closeAfter, "closeAfter");
        if (closeAfter.isNegative()) {
            throw new IllegalArgumentException("closeAfter must be >= 0, was " + closeAfter);
        }
        app.socketMode().disconnect(Objects.requireNonNull(reason, "reason"), closeAfter);
    }

    /** Drops every Socket Mode socket of the app at once, without a close frame, as a network failure does. */
    public void dropSockets() {
        app.socketMode().connections().forEach(SocketConnection::abort);
    }

    /**
     * Makes the app's Socket Mode sockets open now go quiet for good, as behind a broken network path:
     * nothing more is written to them (no envelopes, no pongs) and what the client sends is ignored. They
     * stay open; connections opened later work. Envelopes meanwhile count as unacknowledged and are
     * retried, on other connections when there are any.
     */
    public void goSilent() {
        app.socketMode().connections().forEach(SocketConnection::silence);
    }

    /**
     * Writes {@code text} as it is to every open Socket Mode socket of the app: for testing what a client
     * does with a frame Slack should never send (not JSON, an unknown type, a payload of the wrong shape).
     */
    public void sendRaw(String text) {
        Objects.requireNonNull(text, "text");
        app.socketMode().connections().forEach(connection -> connection.send(text));
    }

    /** Open Socket Mode connections of the app. */
    public int openConnections() {
        return core.recorder().openConnections(app.id());
    }

    /**
     * A person runs a slash command: a {@code slash_commands} envelope (with {@code
     * accepts_response_payload: true}) over Socket Mode. Returns the envelope id.
     */
    public String slashCommand(Workspace workspace, User user, Channel channel, String command, String text) {
        Installation installation = installation(workspace);
        requireSocketMode();
        TeamState team = workspace.state();
        ChannelInfo info = workspace.channelInfo(channel.id());
        ObjectNode payload = Json.object();
        payload.put("token", app.verificationToken());
        payload.put("team_id", team.id());
        payload.put("team_domain", team.domain());
        payload.put("channel_id", info.id());
        payload.put("channel_name", info.name());
        payload.put("user_id", user.id());
        payload.put("user_name", user.name());
        payload.put("command", command);
        payload.put("text", text);
        payload.put("api_app_id", app.id());
        payload.put("is_enterprise_install", "false");
        payload.put("response_url", responseUrl(installation, "commands"));
        payload.put("trigger_id", core.ids().next("TR"));
        return app.socketMode().dispatch("slash_commands", Json.write(payload), true);
    }

    /**
     * A person clicks a button: an {@code interactive} envelope with a {@code block_actions} payload over
     * Socket Mode. Returns the envelope id.
     */
    public String blockAction(Workspace workspace, User user, Channel channel, String actionId, String value) {
        Installation installation = installation(workspace);
        requireSocketMode();
        TeamState team = workspace.state();
        ObjectNode payload = Json.object();
        payload.put("type", "block_actions");
        ObjectNode person = payload.putObject("user");
        person.put("id", user.id());
        person.put("username", user.name());
        person.put("name", user.name());
        person.put("team_id", team.id());
        payload.put("api_app_id", app.id());
        payload.put("token", app.verificationToken());
        ObjectNode container = payload.putObject("container");
        container.put("type", "message");
        container.put("channel_id", channel.id());
        container.put("is_ephemeral", false);
        payload.put("trigger_id", core.ids().next("TR"));
        ObjectNode teamObject = payload.putObject("team");
        teamObject.put("id", team.id());
        teamObject.put("domain", team.domain());
        payload.putNull("enterprise");
        payload.put("is_enterprise_install", false);
        ObjectNode channelObject = payload.putObject("channel");
        channelObject.put("id", channel.id());
        channelObject.put("name", channel.name());
        payload.put("response_url", responseUrl(installation, "actions"));
        ObjectNode action = payload.putArray("actions").addObject();
        action.put("action_id", actionId);
        action.put("block_id", "actions");
        ObjectNode label = action.putObject("text");
        label.put("type", "plain_text");
        label.put("text", value);
        action.put("value", value);
        action.put("type", "button");
        action.put("action_ts", core.ids().nextTs());
        return app.socketMode().dispatch("interactive", Json.write(payload), false);
    }

    private Installation installation(Workspace workspace) {
        Installation installation = app.installation(workspace.id());
        if (installation == null) {
            throw new IllegalStateException("app " + app.id() + " is not installed in " + workspace.id());
        }
        return installation;
    }

    private void requireSocketMode() {
        if (app.eventsUrl() != null) {
            throw new IllegalStateException("app " + app.id() + " uses the Events API; the simulator sends "
                    + "slash commands and interactions over Socket Mode only");
        }
    }

    private String responseUrl(Installation installation, String kind) {
        return core.baseUrl() + "/" + kind + "/" + installation.teamId() + "/"
                + core.ids().secret();
    }

    @Override
    public String toString() {
        return "App[" + app.id() + "]";
    }
}
