/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

/**
 * A command an app PUBLISHes on {@code RELAX_BOTS_PUBSUB}; every broker receives it. Switch over the
 * permitted records to act on one. The Go broker's three commands are {@link BotCommand}s; Relax adds
 * {@link AppCommand}s for Slack apps (Socket Mode and the Events API).
 */
public sealed interface Command permits Command.BotCommand, Command.AppCommand {

    /** The command's wire {@code type}. */
    String type();

    /** A command about one RTM bot: the Go broker's {@code team_added}, {@code team_removed}, {@code message}. */
    sealed interface BotCommand extends Command permits TeamAdded, TeamRemoved, SendMessage {
        /** The bot the command is about. */
        BotId bot();
    }

    /** A command about a Slack app or one of its installations. */
    sealed interface AppCommand extends Command permits AppAdded, AppRemoved, InstallationAdded, InstallationRemoved {
        /** The app the command is about. */
        String appId();
    }

    /** {@code app_added}: read the app's registration from the apps hash and (re)start it. */
    record AppAdded(String appId) implements AppCommand {
        public AppAdded {
            requireId(appId, Protocol.FIELD_APP_ID);
        }

        @Override
        public String type() {
            return Protocol.COMMAND_APP_ADDED;
        }
    }

    /** {@code app_removed}: close the app's Socket Mode connections and forget it. */
    record AppRemoved(String appId) implements AppCommand {
        public AppRemoved {
            requireId(appId, Protocol.FIELD_APP_ID);
        }

        @Override
        public String type() {
            return Protocol.COMMAND_APP_REMOVED;
        }
    }

    /** {@code installation_added}: the installation of {@code appId} in {@code teamId} was stored or changed. */
    record InstallationAdded(String appId, String teamId) implements AppCommand {
        public InstallationAdded {
            requireId(appId, Protocol.FIELD_APP_ID);
            requireId(teamId, Protocol.FIELD_TEAM_ID);
        }

        @Override
        public String type() {
            return Protocol.COMMAND_INSTALLATION_ADDED;
        }
    }

    /** {@code installation_removed}: the installation of {@code appId} in {@code teamId} is gone. */
    record InstallationRemoved(String appId, String teamId) implements AppCommand {
        public InstallationRemoved {
            requireId(appId, Protocol.FIELD_APP_ID);
            requireId(teamId, Protocol.FIELD_TEAM_ID);
        }

        @Override
        public String type() {
            return Protocol.COMMAND_INSTALLATION_REMOVED;
        }
    }

    private static void requireId(String value, String field) {
        if (value == null || value.isBlank()) {
            throw dev.relax.core.RelaxException.badSetting(field, "must not be empty in a command");
        }
    }

    /**
     * {@code team_added}: read the bot's registration from the bots hash, stop any connection the bot has,
     * and start it anew.
     */
    record TeamAdded(BotId bot) implements BotCommand {
        public TeamAdded {
            java.util.Objects.requireNonNull(bot, "bot");
        }

        @Override
        public String type() {
            return Protocol.COMMAND_TEAM_ADDED;
        }
    }

    /** {@code team_removed}: stop and forget the bot's connection. */
    record TeamRemoved(BotId bot) implements BotCommand {
        public TeamRemoved {
            java.util.Objects.requireNonNull(bot, "bot");
        }

        @Override
        public String type() {
            return Protocol.COMMAND_TEAM_REMOVED;
        }
    }

    /**
     * {@code message}: write {@code payload}, an RTM frame as a JSON string such as
     * {@code {"id":1,"type":"message","channel":"C1","text":"hi"}}, to the bot's live socket, once across
     * all brokers ({@code HSETNX $RELAX_MUTEX_KEY send_slack_message:<id> ok} decides which broker sends).
     *
     * @param id unique per command; the mutex field is derived from it
     * @param wantsResult whether the broker that sends it stores Slack's answer to the frame ({@code ok}
     *     with the message's {@code ts}, or the error) as the result of call {@code id} (docs/protocol.md,
     *     "Commands"); on the wire {@code "result":true}, which Go brokers ignore
     */
    record SendMessage(BotId bot, String id, String payload, boolean wantsResult) implements BotCommand {
        public SendMessage {
            java.util.Objects.requireNonNull(bot, "bot");
            id = id == null ? "" : id;
            payload = payload == null ? "" : payload;
        }

        /** A message whose answer nobody waits for (the Go protocol's). */
        public SendMessage(BotId bot, String id, String payload) {
            this(bot, id, payload, false);
        }

        @Override
        public String type() {
            return Protocol.COMMAND_MESSAGE;
        }

        /** The mutex-hash field that decides which broker sends this message. */
        public String mutexField() {
            return Protocol.MUTEX_SEND_MESSAGE_PREFIX + id;
        }
    }
}
