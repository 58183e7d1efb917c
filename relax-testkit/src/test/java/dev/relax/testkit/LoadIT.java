/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The simulator fans events out to many RTM sockets without blocking the scripting thread. */
class LoadIT {
    private static final int CONNECTIONS = 1_000;
    private static final int EVENTS = 20;

    @Test
    void deliversEveryEventToAThousandConnections() {
        AtomicLong messages = new AtomicLong();
        AtomicLong hellos = new AtomicLong();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                String text = data.toString();
                if (text.contains("\"type\":\"hello\"")) {
                    hellos.incrementAndGet();
                } else if (text.contains("\"type\":\"message\"")) {
                    messages.incrementAndGet();
                }
                socket.request(1);
                return null;
            }
        };
        try (SlackSimulator slack = SlackSimulator.builder().recordFrames(false).start();
                SlackApi api = new SlackApi(slack);
                HttpClient http = HttpClient.newHttpClient()) {
            Workspace ws = slack.workspace("T1");
            User alice = ws.user("U1", "alice");
            Channel general = ws.channel("C1", "general");
            ws.bot("xoxb-load", "UBOT", "relaxbot");
            List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                sockets.add(http.newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(URI.create(api.rtmUrl("xoxb-load")), listener));
            }
            CompletableFuture.allOf(sockets.toArray(CompletableFuture[]::new)).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> hellos.get() == CONNECTIONS);
            assertThat(ws.openConnections()).isEqualTo(CONNECTIONS);

            long started = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                ws.as(alice).post(general, "event " + i);
            }
            Duration publishing = Duration.ofNanos(System.nanoTime() - started);

            await().atMost(Duration.ofSeconds(30)).until(() -> messages.get() == (long) CONNECTIONS * EVENTS);
            assertThat(publishing)
                    .as("publishing must not wait for the sockets")
                    .isLessThan(Duration.ofSeconds(5));
            sockets.forEach(socket -> socket.join().abort());
        }
    }
}
