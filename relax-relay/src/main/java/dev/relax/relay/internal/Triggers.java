/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.core.event.MessageNew;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which messages the relay answers, and where: a mention of the bot in a channel, a direct message to it,
 * and, when {@link #followThreads} is on, any message in a thread the bot answered in. Everything else
 * (other messages, the bot's own) is ignored. The answer goes in the thread of the question: the thread
 * the question was posted in, or a new thread under it.
 *
 * @param followThreads whether a reply in a thread the bot answered in is a question without a mention
 */
public record Triggers(boolean followThreads) {
    /** A question for the backend, with the bot's mentions stripped, and the thread its answer goes in. */
    public record Question(String text, String answerThreadTs, boolean dm, Kind kind) {}

    /** Why a message is a question. */
    public enum Kind {
        MENTION,
        DIRECT_MESSAGE,
        THREAD_FOLLOW_UP
    }

    /** Whether the bot answered in a thread: {@code (team, channel, thread ts)}. */
    @FunctionalInterface
    public interface AnsweredThreads {
        boolean answered(String team, String channel, String threadTs);
    }

    /**
     * The question {@code message} asks, or empty when the relay ignores it: a message of the bot itself
     * or of any other bot ({@link MessageNew#botId()}: two answering bots would answer each other), one
     * with no text left once the mention is stripped, or one that is neither a mention, a direct
     * message nor (with {@link #followThreads}) a reply in a thread {@code answered} says the bot is in.
     */
    public Optional<Question> question(MessageNew message, AnsweredThreads answered) {
        String bot = message.wire().relaxBotUid();
        if (!bot.isEmpty() && bot.equals(message.userUid()) || !message.botId().isEmpty()) {
            return Optional.empty(); // its own messages, and any bot's: two bots must not answer each other
        }
        String thread = message.threadTs().isEmpty() ? message.ts() : message.threadTs();
        Kind kind;
        if (message.im()) {
            kind = Kind.DIRECT_MESSAGE;
        } else if (message.mentionsBot()) {
            kind = Kind.MENTION;
        } else if (followThreads
                && !message.threadTs().isEmpty()
                && answered.answered(message.teamUid(), message.channelUid(), message.threadTs())) {
            kind = Kind.THREAD_FOLLOW_UP;
        } else {
            return Optional.empty();
        }
        String text = stripMentions(message.text(), bot);
        if (text.isEmpty() || thread.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Question(text, thread, message.im(), kind));
    }

    /**
     * {@code text} without the bot's mentions ({@code <@UBOT>}, {@code <@UBOT|name>}), spaces around them
     * collapsed, trimmed; other mentions stay.
     */
    static String stripMentions(String text, String bot) {
        if (bot.isEmpty()) {
            return text.strip();
        }
        Pattern mention = Pattern.compile("\\s*<@" + Pattern.quote(bot) + "(\\|[^>]*)?>\\s*");
        return mention.matcher(text).replaceAll(" ").strip();
    }
}
