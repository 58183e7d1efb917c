/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlackMethodsTest {
    @Test
    void readsAndIdempotentWritesAreSafeToRepeatPostsAreNot() {
        for (String method : List.of(
                "conversations.info",
                "users.info",
                "users.list",
                "conversations.history",
                "conversations.replies",
                "conversations.members",
                "auth.test",
                "chat.getPermalink",
                "users.lookupByEmail",
                "chat.update",
                "chat.delete",
                "reactions.add",
                "reactions.remove",
                "pins.add",
                "views.publish")) {
            assertThat(SlackMethods.safeToRepeat(method)).as(method).isTrue();
        }
        for (String method : List.of(
                "chat.postMessage",
                "chat.postEphemeral",
                "chat.scheduleMessage",
                "chat.startStream",
                "chat.appendStream",
                "chat.stopStream",
                "views.open",
                "conversations.create",
                "files.completeUploadExternal")) {
            assertThat(SlackMethods.safeToRepeat(method)).as(method).isFalse();
        }
    }
}
