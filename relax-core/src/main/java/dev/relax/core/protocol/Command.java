package dev.relax.core.protocol;

/**
 * A command an app PUBLISHes on {@code RELAX_BOTS_PUBSUB}; every broker receives it. Switch over the
 * permitted records to act on one.
 */
public sealed interface Command permits Command.TeamAdded, Command.TeamRemoved, Command.SendMessage {

    /** The command's wire {@code type}. */
    String type();

    /** The bot the command is about. */
    BotId bot();

    /**
     * {@code team_added}: read the bot's registration from the bots hash, stop any connection the bot has,
     * and start it anew.
     */
    record TeamAdded(BotId bot) implements Command {
        public TeamAdded {
            java.util.Objects.requireNonNull(bot, "bot");
        }

        @Override
        public String type() {
            return Protocol.COMMAND_TEAM_ADDED;
        }
    }

    /** {@code team_removed}: stop and forget the bot's connection. */
    record TeamRemoved(BotId bot) implements Command {
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
     */
    record SendMessage(BotId bot, String id, String payload) implements Command {
        public SendMessage {
            java.util.Objects.requireNonNull(bot, "bot");
            id = id == null ? "" : id;
            payload = payload == null ? "" : payload;
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
