package dev.relax.broker.internal.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallEntryTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsAnEntryAsRedisCliWouldWriteIt() {
        CallEntry call = CallEntry.parse(
                "1700000000000-3",
                Map.of(
                        "id", "c1",
                        "app_id", "A1",
                        "team_id", "T1",
                        "method", "chat.postMessage",
                        "channel", "C1",
                        "params", "{\"text\":\"hi\",\"blocks\":[{\"type\":\"divider\"}],\"unfurl_links\":false}",
                        "enqueued_at", "1700000000000"),
                json);

        assertThat(call.problem()).isEmpty();
        assertThat(call.params())
                .containsEntry("channel", "C1")
                .containsEntry("text", "hi")
                .containsEntry("blocks", "[{\"type\":\"divider\"}]")
                .containsEntry("unfurl_links", "false");
        assertThat(call.enqueuedAt()).isEqualTo(1700000000000L);
        assertThat(call.toString()).doesNotContain("hi");
    }

    @Test
    void malformedEntriesAreMarkedNotThrown() {
        assertThat(CallEntry.parse("1-0", Map.of("app_id", "A1", "team_id", "T1", "method", "m", "params", "{"), json)
                        .problem())
                .isEqualTo("params is not JSON");
        CallEntry noMethod = CallEntry.parse("1-0", Map.of("app_id", "A1", "team_id", "T1"), json);
        assertThat(noMethod.problem()).contains("method");
        assertThat(noMethod.id()).as("falls back to the stream id").isEqualTo("1-0");
    }

    @Test
    void methodsThatAreNotSlackMethodNamesAreMalformed() {
        for (String method : List.of("chat.postMessage", "admin.conversations.setTeams", "oauth.v2.access")) {
            assertThat(withMethod(method).problem()).as(method).isEmpty();
        }
        for (String method : List.of(
                "chat.post Message",
                "chat/postMessage",
                "../api/auth.test",
                "chat.postMessage?channel=C2",
                "chat.postMessage#x",
                "chat",
                "chat.",
                ".chat",
                "chat..postMessage",
                "chat.postMessage\n",
                "chat.pöstMessage")) {
            assertThat(withMethod(method).problem())
                    .as(method)
                    .isEqualTo("method is not a Slack method name (such as chat.postMessage)");
        }
    }

    @Test
    void laneMembersSortInStreamOrder() {
        String a = member("1700000000000-9");
        String b = member("1700000000000-10");
        String c = member("1700000000001-0");
        assertThat(a).isEqualTo("T1|C1|001700000000000-00000000000000000009");
        assertThat(a.compareTo(b)).isNegative();
        assertThat(b.compareTo(c)).isNegative();
    }

    @Test
    void resultJsonHasEveryFieldTheProtocolNames() throws Exception {
        CallOutcome outcome = new CallOutcome(
                "c1", true, "chat.postMessage", "C1", "1700000000.000100", "", 2, json.readTree("{\"ok\":true}"));
        assertThat(json.readTree(outcome.toJson(json)))
                .isEqualTo(
                        json.readTree(
                                "{\"id\":\"c1\",\"ok\":true,\"method\":\"chat.postMessage\",\"channel\":\"C1\","
                                        + "\"ts\":\"1700000000.000100\",\"error\":\"\",\"attempts\":2,\"response\":{\"ok\":true}}"));
    }

    private CallEntry withMethod(String method) {
        return CallEntry.parse(
                "1-0",
                Map.of("app_id", "A1", "team_id", "T1", "method", method, "channel", "C1", "params", "{}"),
                json);
    }

    private String member(String streamId) {
        return CallEntry.parse(
                        streamId,
                        Map.of("app_id", "A1", "team_id", "T1", "method", "m", "channel", "C1", "params", "{}"),
                        json)
                .laneMember();
    }
}
