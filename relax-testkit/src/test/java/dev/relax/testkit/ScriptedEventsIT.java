/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each scripted action yields the RTM frame Slack sends for it (shapes as in the captured golden frames). */
class ScriptedEventsIT {
    private SlackSimulator slack;
    private SlackApi api;
    private Workspace ws;
    private User alice;
    private User bob;
    private Channel general;
    private Bot bot;
    private RecordingWebSocket client;

    @BeforeEach
    void start() {
        slack = SlackSimulator.start();
        api = new SlackApi(slack);
        ws = slack.workspace("T1");
        alice = ws.user("U1", "alice");
        bob = ws.user("U2", "bob");
        general = ws.channel("C1", "general");
        bot = ws.bot("xoxb-bot-1", "UBOT", "relaxbot");
        client = RecordingWebSocket.rtm(api, "xoxb-bot-1");
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
        slack.close();
    }

    @Test
    void aPostIsAMessageEventWithClientMsgIdAndRichTextBlocks() {
        String ts = ws.as(alice).post(general, "Morning all!");

        JsonNode message = client.awaitFrame("message");
        assertThat(message.path("ts").asText()).isEqualTo(ts).matches("\\d{10}\\.\\d{6}");
        assertThat(message.path("event_ts").asText()).isEqualTo(ts);
        assertThat(message.path("user").asText()).isEqualTo("U1");
        assertThat(message.path("text").asText()).isEqualTo("Morning all!");
        assertThat(message.path("channel").asText()).isEqualTo("C1");
        assertThat(message.path("team").asText()).isEqualTo("T1");
        assertThat(message.path("client_msg_id").asText()).hasSize(36);
        assertThat(message.has("subtype")).isFalse();
        JsonNode block = message.path("blocks").get(0);
        assertThat(block.path("type").asText()).isEqualTo("rich_text");
        assertThat(block.findValuesAsText("text")).contains("Morning all!");
    }

    @Test
    void timestampsAreUniqueAndIncreasing() {
        List<String> stamps = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stamps.add(ws.as(alice).post(general, "n" + i));
        }
        assertThat(stamps).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void aMentionNamesTheBotAtTheStart() {
        ws.as(bob).mention(bot, general, "deploy status please");

        assertThat(client.awaitFrame("message").path("text").asText()).isEqualTo("<@UBOT> deploy status please");
    }

    @Test
    void anEditIsMessageChangedWithTheNewAndPreviousMessage() {
        String ts = ws.as(alice).post(general, "opens at 10:00");
        ws.as(alice).edit(general, ts, "opens at 10:30");

        JsonNode changed = client.awaitFrame(Map.of("type", "message", "subtype", "message_changed"));
        assertThat(changed.path("hidden").asBoolean()).isTrue();
        assertThat(changed.path("channel").asText()).isEqualTo("C1");
        assertThat(changed.path("message").path("ts").asText()).isEqualTo(ts);
        assertThat(changed.path("message").path("text").asText()).isEqualTo("opens at 10:30");
        assertThat(changed.path("message").path("edited").path("user").asText()).isEqualTo("U1");
        assertThat(changed.path("previous_message").path("text").asText()).isEqualTo("opens at 10:00");
        assertThat(changed.path("ts").asText()).isNotEqualTo(ts);
    }

    @Test
    void aDeletionIsMessageDeletedWithoutTopLevelUser() {
        String ts = ws.as(alice).post(general, "oops");
        ws.as(alice).delete(general, ts);

        JsonNode deleted = client.awaitFrame(Map.of("type", "message", "subtype", "message_deleted"));
        assertThat(deleted.path("deleted_ts").asText()).isEqualTo(ts);
        assertThat(deleted.has("user")).isFalse();
        assertThat(deleted.path("previous_message").path("user").asText()).isEqualTo("U1");
        assertThat(deleted.path("previous_message").path("text").asText()).isEqualTo("oops");
    }

    @Test
    void reactionsNameTheItemAndItsAuthor() {
        String ts = ws.as(alice).post(general, "ship it?");
        ws.as(bob).react(general, ts, "+1");
        ws.as(bob).unreact(general, ts, "+1");

        JsonNode added = client.awaitFrame("reaction_added");
        assertThat(added.path("user").asText()).isEqualTo("U2");
        assertThat(added.path("reaction").asText()).isEqualTo("+1");
        assertThat(added.path("item_user").asText()).isEqualTo("U1");
        assertThat(added.path("item").path("type").asText()).isEqualTo("message");
        assertThat(added.path("item").path("channel").asText()).isEqualTo("C1");
        assertThat(added.path("item").path("ts").asText()).isEqualTo(ts);
        assertThat(added.path("event_ts").asText()).isNotEmpty();
        assertThat(client.awaitFrame("reaction_removed").path("item").path("ts").asText())
                .isEqualTo(ts);
    }

    @Test
    void aJoinIsTeamJoinWithTheFullUser() {
        ws.join("U3", "dana");

        JsonNode user = client.awaitFrame("team_join").path("user");
        assertThat(user.path("id").asText()).isEqualTo("U3");
        assertThat(user.path("team_id").asText()).isEqualTo("T1");
        assertThat(user.path("name").asText()).isEqualTo("dana");
        assertThat(user.path("real_name").asText()).isEqualTo("Dana");
        assertThat(user.path("profile").path("display_name").asText()).isEqualTo("dana");
        assertThat(user.path("is_bot").asBoolean(true)).isFalse();
    }

    @Test
    void botJoinsAChannelOrAGroup() {
        Channel deploys = ws.channel("C2", "deploys");
        Channel secret = ws.privateGroup("G1", "secret");
        ws.botJoins(bot, deploys);
        ws.botJoins(bot, secret);

        JsonNode channel = client.awaitFrame("channel_joined").path("channel");
        assertThat(channel.path("id").asText()).isEqualTo("C2");
        assertThat(channel.path("is_channel").asBoolean()).isTrue();
        assertThat(channel.path("is_member").asBoolean()).isTrue();
        JsonNode group = client.awaitFrame("group_joined").path("channel");
        assertThat(group.path("id").asText()).isEqualTo("G1");
        assertThat(group.path("is_group").asBoolean()).isTrue();
    }

    @Test
    void anImIsCreatedOnceAndMessagesInItAreImMessages() {
        Channel im = ws.im(alice, bot);
        assertThat(ws.im(alice, bot)).isEqualTo(im);
        ws.as(alice).post(im, "psst");

        JsonNode created = client.awaitFrame("im_created");
        assertThat(im.id()).startsWith("D");
        assertThat(created.path("user").asText()).isEqualTo("U1");
        assertThat(created.path("channel").path("id").asText()).isEqualTo(im.id());
        assertThat(created.path("channel").path("is_im").asBoolean()).isTrue();
        assertThat(client.awaitFrame("message").path("channel").asText()).isEqualTo(im.id());
        assertThat(client.frames("im_created")).hasSize(1);
    }

    @Test
    void threadRepliesCarryTheParent() {
        String parent = ws.as(alice).post(general, "question");
        String reply = ws.as(bob).reply(general, parent, "answer");

        JsonNode message = client.awaitFrame(Map.of("type", "message", "ts", reply));
        assertThat(message.path("thread_ts").asText()).isEqualTo(parent);
        assertThat(message.path("parent_user_id").asText()).isEqualTo("U1");
    }

    @Test
    void scriptsCannotEditSomeoneElsesMessage() {
        String ts = ws.as(alice).post(general, "mine");

        assertThatThrownBy(() -> ws.as(bob).edit(general, ts, "yours")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ws.as(bob).react(general, "1.000000", "+1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
