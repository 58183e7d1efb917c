/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AppIdReaderTest {
    private final AppIdReader reader = new AppIdReader(new JsonFactory());

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheTopLevelAppIdOfAnEventsApiBody() throws IOException {
        String body = "{\"token\":\"t\",\"team_id\":\"T1\",\"event\":{\"api_app_id\":\"AINNER\",\"blocks\":[[],[{}],"
                + "{\"x\":[1,2,{\"y\":null}]}]},\"api_app_id\":\"A123\",\"type\":\"event_callback\"}";

        assertThat(reader.fromJson(bytes(body))).isEqualTo("A123");
    }

    @Test
    void stopsAtTheAppIdWithoutReadingWhatFollows() throws IOException {
        assertThat(reader.fromJson(bytes("{\"api_app_id\":\"A1\",\"event\": this is no JSON")))
                .isEqualTo("A1");
    }

    @Test
    void aBodyThatNamesNoAppHasAnEmptyAppId() throws IOException {
        assertThat(reader.fromJson(bytes("{\"type\":\"url_verification\",\"challenge\":\"c\"}")))
                .isEmpty();
        assertThat(reader.fromJson(bytes("{\"api_app_id\":{\"not\":\"a string\"}}")))
                .isEmpty();
    }

    @Test
    void refusesWhatIsNoJsonObjectBeforeTheAppId() {
        assertThatThrownBy(() -> reader.fromJson(bytes("[[],[],[]]"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> reader.fromJson(bytes("{\"type\":\"event_callback\",\"api_app_id\":")))
                .isInstanceOf(IOException.class);
        // Deeper than Jackson's nesting limit (1000): refused as soon as the limit is passed.
        assertThatThrownBy(() -> reader.fromJson(bytes("{\"a\":" + "[".repeat(5000))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void readsTheAppIdFieldOfASlashCommandForm() throws IOException {
        String form = "token=t&team_id=T1&text=a%26b%3Dc&api%5Fapp%5Fid=A%2042&api_app_id=ALATER";

        assertThat(reader.fromForm(bytes(form))).isEqualTo("A 42");
        assertThat(reader.fromForm(bytes("token=t&text=" + "x".repeat(5000)))).isEmpty();
        assertThat(reader.fromForm(bytes(""))).isEmpty();
    }

    @Test
    void readsTheAppIdOfTheJsonInAnInteractionsPayloadField() throws IOException {
        String payload = "{\"type\":\"block_actions\",\"team\":{\"id\":\"T1\"},\"actions\":[{\"value\":\"a&b=c+d é\"}],"
                + "\"api_app_id\":\"A77\"}";
        String form = "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);

        assertThat(reader.fromPayloadField(bytes(form))).isEqualTo("A77");
        assertThatThrownBy(() -> reader.fromPayloadField(bytes("token=t"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> reader.fromPayloadField(bytes("payload=%7B%ZZ")))
                .isInstanceOf(IOException.class);
    }
}
