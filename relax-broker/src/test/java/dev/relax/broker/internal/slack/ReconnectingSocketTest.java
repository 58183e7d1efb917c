/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.http.BrokerMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ReconnectingSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PING = Duration.ofSeconds(5);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    private final FakeTimers timers = new FakeTimers();
    private final FakeTransport transport = new FakeTransport();
    private final ArrayDeque<Runnable> work = new ArrayDeque<>();
    private final Executor workers = work::add;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final RecordingProtocol protocol = new RecordingProtocol();

    private ReconnectingSocket socket(Duration helloTimeout) {
        return new ReconnectingSocket(
                "bot T1",
                "T1",
                new ReconnectingSocket.Settings(PING, 3, BACKOFF, helloTimeout),
                new SocketResources(transport, timers, workers, JSON, metrics, timers::ticker),
                protocol);
    }

    /** Runs the attempts the machine handed to its workers (they block in production). */
    private void runWork() {
        while (!work.isEmpty()) {
            work.poll().run();
        }
    }

    private static SlackWebApi.Response ok(String url) {
        return new SlackWebApi.Response(
                200, JSON.createObjectNode().put("ok", true).put("url", url), Optional.empty());
    }

    private static SlackWebApi.Response error(int status, String error, Duration retryAfter) {
        return new SlackWebApi.Response(
                status, JSON.createObjectNode().put("ok", false).put("error", error), Optional.ofNullable(retryAfter));
    }

    private ReconnectingSocket connectedRtm() {
        ReconnectingSocket s = socket(null);
        protocol.answers.add(ok("wss://slack.test/1"));
        s.start(Duration.ZERO);
        runWork();
        return s;
    }

    @Test
    void connectsAndHandsOnlyEventFramesToTheProtocol() {
        ReconnectingSocket s = connectedRtm();

        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.CONNECTED);
        assertThat(transport.sockets).hasSize(1);
        assertThat(transport.socket(0).uri.toString()).isEqualTo("wss://slack.test/1");
        assertThat(protocol.connected).containsExactly("0 replacing none");

        transport.socket(0).receive("{\"type\":\"hello\"}");
        transport.socket(0).receive("{\"type\":\"pong\",\"reply_to\":1}");
        transport.socket(0).receive("{\"type\":\"message\",\"text\":\"hi\"}");
        transport.socket(0).receive("not json");

        assertThat(protocol.events).containsExactly("message");
        assertThat(metrics.framesIn.count()).isEqualTo(4);
        assertThat(metrics.framesMalformed.count()).isEqualTo(1);
        assertThat(MDC.get("team"))
                .as("the MDC of the reading thread is left clean")
                .isNull();
    }

    @Test
    void framesReadInsideConnectLeaveTheAttemptsMdcAsTheyFoundIt() {
        // nv-websocket-client reads the first frames on the attempt's own thread, inside connect().
        transport.onConnect = List.of("{\"type\":\"hello\"}", "{\"type\":\"message\",\"text\":\"hi\"}");

        connectedRtm();

        assertThat(protocol.connectedMdcTeams)
                .as("the attempt's log lines after the first frames still name the team")
                .containsExactly("T1");
        assertThat(MDC.get("team")).isNull();
    }

    @Test
    void droppedSocketReconnectsAfterBackOff() {
        ReconnectingSocket s = connectedRtm();
        protocol.answers.add(ok("wss://slack.test/2"));

        transport.socket(0).drop();

        assertThat(protocol.reconnects).containsExactly("dropped");
        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.WAITING);
        assertThat(timers.pendingDelays()).singleElement().satisfies(d -> assertThat(d)
                .isLessThanOrEqualTo(BACKOFF.ceiling(0)));

        timers.advance(BACKOFF.ceiling(0));
        runWork();

        assertThat(transport.sockets).hasSize(2);
        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.CONNECTED);
    }

    @Test
    void silentSocketIsReplacedAndOneThatAnswersPingsIsKept() {
        ReconnectingSocket s = connectedRtm();
        for (int i = 0; i < 5; i++) {
            timers.advance(PING);
            transport.socket(0).listener.onPong();
        }
        assertThat(protocol.pings).isEqualTo(5);
        assertThat(transport.sockets).hasSize(1);

        protocol.answers.add(ok("wss://slack.test/2"));
        timers.advance(PING.multipliedBy(4));
        runWork();

        assertThat(protocol.reconnects).containsExactly("missed_pongs");
        assertThat(transport.socket(0).closeCode).isEqualTo(1000);
        assertThat(transport.sockets).hasSize(2);
        assertThat(s.current()).isNotNull();
    }

    @Test
    void goodbyeReconnectsAtOnceAndTheOldSocketsCallbacksAreIgnored() {
        connectedRtm();
        protocol.answers.add(ok("wss://slack.test/2"));

        transport.socket(0).receive("{\"type\":\"goodbye\"}");
        runWork();
        assertThat(transport.sockets).hasSize(2);

        // The replaced socket goes on talking: a second goodbye and a drop change nothing.
        transport.socket(0).receive("{\"type\":\"goodbye\"}");
        transport.socket(0).listener.onClosed(1006, "late");
        runWork();

        assertThat(protocol.reconnects).containsExactly("goodbye");
        assertThat(transport.sockets).hasSize(2);
        assertThat(timers.pendingDelays()).isEmpty();
    }

    @Test
    void refusedTokenDisablesOnceAndNeverRetries() {
        ReconnectingSocket s = socket(null);
        protocol.answers.add(error(200, "invalid_auth", null));
        s.start(Duration.ZERO);
        runWork();

        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.DISABLED);
        assertThat(protocol.refused).containsExactly("invalid_auth");
        assertThat(timers.pendingDelays()).isEmpty();
        assertThat(transport.sockets).isEmpty();
    }

    @Test
    void disablingCancelsThePingerAsStoppingDoes() {
        ReconnectingSocket s = connectedRtm();
        assertThat(timers.periodicTasks()).isEqualTo(1);
        protocol.answers.add(error(200, "token_revoked", null));

        transport.socket(0).receive("{\"type\":\"goodbye\"}");
        runWork();

        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.DISABLED);
        assertThat(timers.periodicTasks())
                .as("a disabled bot stays in the fleet until a new team_added: nothing of it may keep running")
                .isZero();
    }

    @Test
    void errorNotInTheTableIsRetriedWithBackOffAndRateLimitWaitsRetryAfter() {
        ReconnectingSocket s = socket(null);
        protocol.answers.add(error(200, "internal_error", null));
        protocol.answers.add(error(429, "ratelimited", Duration.ofSeconds(30)));
        s.start(Duration.ZERO);
        runWork();
        assertThat(protocol.reconnects).containsExactly("internal_error");

        timers.advance(BACKOFF.ceiling(0));
        runWork();
        assertThat(protocol.reconnects).containsExactly("internal_error", "ratelimited");
        assertThat(timers.pendingDelays()).singleElement().satisfies(d -> assertThat(d)
                .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(30).plus(BACKOFF.ceiling(0))));
        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.WAITING);
    }

    @Test
    void networkFailureAndFailedHandshakeAreRetried() {
        ReconnectingSocket s = socket(null);
        protocol.failNext = new IOException("connection refused");
        protocol.answers.add(ok("wss://slack.test/1"));
        protocol.answers.add(ok("wss://slack.test/2"));
        s.start(Duration.ZERO);
        runWork();
        timers.advance(BACKOFF.ceiling(0));
        transport.failNext = new IOException("handshake failed");
        runWork();
        timers.advance(BACKOFF.ceiling(1));
        runWork();

        assertThat(protocol.reconnects).containsExactly("network", "websocket");
        assertThat(transport.sockets).hasSize(1);
        assertThat(transport.socket(0).uri.toString()).isEqualTo("wss://slack.test/2");
        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.CONNECTED);
    }

    @Test
    void stopWhileAnAttemptIsUnderWayClosesWhatItOpensAndEmitsNothing() {
        ReconnectingSocket s = socket(null);
        protocol.answers.add(ok("wss://slack.test/1"));
        s.start(Duration.ZERO);

        assertThat(s.stop("shutdown")).isTrue();
        runWork();

        assertThat(transport.sockets).isEmpty();
        assertThat(protocol.connected).isEmpty();
        assertThat(s.stop("again")).isFalse();
    }

    @Test
    void stopClosesTheSocketWith1000AndLaterFramesAreDropped() {
        ReconnectingSocket s = connectedRtm();

        s.stop("removed");
        transport.socket(0).receive("{\"type\":\"message\"}");

        assertThat(transport.socket(0).closeCode).isEqualTo(1000);
        assertThat(protocol.events).isEmpty();
        assertThat(protocol.reconnects).isEmpty();
        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.STOPPED);
    }

    // ---- Socket Mode: hello, disconnect, refresh ---------------------------------------------------

    @Test
    void withAHelloTimeoutASocketIsCurrentOnlyOnceItSaidHello() {
        ReconnectingSocket s = socket(Duration.ofMillis(1));
        protocol.answers.add(ok("wss://slack.test/1"));
        protocol.answers.add(ok("wss://slack.test/2"));
        s.start(Duration.ZERO);
        runWork(); // no hello within 1 ms

        assertThat(s.current()).isNull();
        assertThat(transport.socket(0).closeCode).isEqualTo(1000);
        assertThat(protocol.reconnects).containsExactly("no_hello");

        transport.onConnect = List.of("{\"type\":\"hello\"}");
        timers.advance(BACKOFF.ceiling(0));
        runWork();

        assertThat(s.current()).isNotNull();
        assertThat(protocol.connected).containsExactly("1 replacing none");
    }

    @Test
    void refreshOpensTheNewSocketBesideTheOldOneAndHandsBothToTheProtocol() {
        transport.onConnect = List.of("{\"type\":\"hello\"}");
        ReconnectingSocket s = socket(Duration.ofSeconds(10));
        protocol.answers.add(ok("wss://slack.test/1"));
        s.start(Duration.ZERO);
        runWork();
        SocketHandle first = s.current();

        protocol.answers.add(ok("wss://slack.test/2"));
        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"refresh_requested\"}");
        assertThat(s.current())
                .as("the old socket serves until its replacement said hello")
                .isSameAs(first);
        runWork();

        assertThat(protocol.refreshing).containsExactly(0);
        assertThat(protocol.connected).containsExactly("0 replacing none", "1 replacing 0");
        assertThat(transport.socket(0).closeCode)
                .as("the protocol decides when the old one goes")
                .isZero();
        // Events still arriving on the old socket are handled (their acks may go out on either).
        transport.socket(0).receive("{\"type\":\"events_api\",\"envelope_id\":\"e1\"}");
        assertThat(protocol.events).containsExactly("events_api");
        assertThat(s.send(first, "ack")).isTrue();
    }

    @Test
    void linkDisabledDisablesOnceAndTooManyWebsocketsWaitsForTheClose() {
        transport.onConnect = List.of("{\"type\":\"hello\"}");
        ReconnectingSocket s = new ReconnectingSocket(
                "app A1 connection 0",
                null,
                new ReconnectingSocket.Settings(PING, 3, BACKOFF, Duration.ofSeconds(10)),
                new SocketResources(transport, timers, workers, JSON, metrics, timers::ticker),
                protocol.socketMode());
        protocol.answers.add(ok("wss://slack.test/1"));
        s.start(Duration.ZERO);
        runWork();

        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"too_many_websockets\"}");
        assertThat(work).isEmpty();
        assertThat(s.current()).isNotNull();

        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"link_disabled\"}");
        transport.socket(0).receive("{\"type\":\"disconnect\",\"reason\":\"link_disabled\"}");

        assertThat(protocol.refused).containsExactly("link_disabled");
        assertThat(s.state()).isEqualTo(ReconnectingSocket.State.DISABLED);
        assertThat(transport.socket(0).closeCode).isEqualTo(1000);
        assertThat(protocol.reconnects).isEmpty();
    }

    /** A protocol that records what the machine asked of it and answers from a script. */
    private final class RecordingProtocol implements SocketProtocol {
        final ArrayDeque<SlackWebApi.Response> answers = new ArrayDeque<>();
        IOException failNext;
        SlackConnectErrors.Side side = SlackConnectErrors.Side.RTM;
        final List<String> events = new ArrayList<>();
        final List<String> connected = new ArrayList<>();
        final List<String> connectedMdcTeams = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        final List<String> reconnects = new ArrayList<>();
        final List<Integer> refreshing = new ArrayList<>();
        int pings;

        RecordingProtocol socketMode() {
            side = SlackConnectErrors.Side.SOCKET_MODE;
            return this;
        }

        private int indexOf(SocketHandle s) {
            return s.opening().path("url").asText().charAt("wss://slack.test/".length()) - '1';
        }

        @Override
        public SlackConnectErrors.Side side() {
            return side;
        }

        @Override
        public String method() {
            return "rtm.connect";
        }

        @Override
        public SlackWebApi.Response requestUrl() throws IOException {
            if (failNext != null) {
                IOException e = failNext;
                failNext = null;
                throw e;
            }
            return answers.poll();
        }

        @Override
        public void onEvent(SocketHandle socket, JsonNode frame) {
            events.add(frame.path("type").asText());
        }

        @Override
        public void connected(SocketHandle socket, SocketHandle replaced) {
            connected.add(indexOf(socket) + " replacing " + (replaced == null ? "none" : indexOf(replaced)));
            connectedMdcTeams.add(String.valueOf(MDC.get("team")));
        }

        @Override
        public void refused(String error) {
            refused.add(error);
        }

        @Override
        public void ping(SocketHandle socket) {
            pings++;
        }

        @Override
        public void reconnecting(String cause) {
            reconnects.add(cause);
        }

        @Override
        public void beforeRefresh(SocketHandle old) {
            refreshing.add(indexOf(old));
        }
    }
}
