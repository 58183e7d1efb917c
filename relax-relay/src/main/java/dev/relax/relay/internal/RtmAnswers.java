/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relax.client.RelaxClient;
import dev.relax.core.event.MessageNew;
import dev.relax.core.protocol.BotId;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The answers of a classic RTM bot, which has no Slack app: RTM can neither stream nor edit a message, so
 * the backend's answer is collected whole and sent as RTM {@code message} frames in the question's thread,
 * cut at RTM's limit, through the brokers' commands (RelaxClient#sendRawFrame).
 */
final class RtmAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Slack's RTM accepts messages of up to 4,000 characters (https://api.slack.com/rtm, "Sending messages"). */
    static final int RTM_MESSAGE_CHARS = 4_000;

    private final RelaxClient relax;
    private final BackendClient backend;
    private final AnswerSettings answers;

    RtmAnswers(RelaxClient relax, BackendClient backend, AnswerSettings answers) {
        this.relax = relax;
        this.backend = backend;
        this.answers = answers;
    }

    /**
     * An RTM bot's answer: collected whole, then sent as RTM messages in the thread (cut at RTM's limit).
     * The caller finishes the claim.
     */
    void answer(MessageNew message, Triggers.Question asked, String id, String eventId) {
        BroadcastFilter broadcasts = new BroadcastFilter();
        StringBuilder text = new StringBuilder();
        Question question = new Question(
                eventId,
                "",
                message.teamUid(),
                message.channelUid(),
                message.userUid(),
                asked.answerThreadTs(),
                asked.text(),
                asked.dm(),
                null);
        BackendOutcome outcome = backend.ask(
                question, chunk -> text.append(answers.allowBroadcasts() ? chunk : broadcasts.accept(chunk)));
        if (!answers.allowBroadcasts()) {
            text.append(broadcasts.end());
        }
        String failure = Answerer.userMessage(outcome, id);
        BotId bot = new BotId(message.teamUid(), message.namespace());
        while (!text.toString().isBlank()) {
            int end = TextCut.at(text, RTM_MESSAGE_CHARS);
            relax.sendRawFrame(bot, rtmMessage(message.channelUid(), asked.answerThreadTs(), text.substring(0, end)));
            text.delete(0, end);
        }
        if (failure != null) {
            relax.sendRawFrame(bot, rtmMessage(message.channelUid(), asked.answerThreadTs(), failure));
        }
    }

    /** https://api.slack.com/rtm, "Sending messages": a reply in a thread carries {@code thread_ts}. */
    private static String rtmMessage(String channel, String threadTs, String text) {
        ObjectNode frame = JSON.createObjectNode()
                .put("id", ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE))
                .put("type", "message")
                .put("channel", channel)
                .put("text", text)
                .put("thread_ts", threadTs);
        return frame.toString();
    }
}
