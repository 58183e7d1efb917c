/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message as the simulator remembers it, for edits, deletions, reactions and chat.update.
 *
 * @param botId empty for a person's message
 * @param clientMsgId empty for a bot's message
 * @param threadTs empty for a top-level message
 * @param editedTs ts of the last edit, empty when never edited
 * @param blocks Block Kit blocks or {@code null}
 * @param attachments legacy attachments or {@code null}
 */
public record MessageInfo(
        String channel,
        String ts,
        String user,
        String botId,
        String text,
        String clientMsgId,
        String threadTs,
        String editedTs,
        JsonNode blocks,
        JsonNode attachments) {

    public MessageInfo edited(String newText, JsonNode newBlocks, String editTs) {
        return new MessageInfo(
                channel, ts, user, botId, newText, clientMsgId, threadTs, editTs, newBlocks, attachments);
    }
}
