/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One Netty socket's behaviour on an {@link EmbeddedChannel} (no sockets): the test plays the server,
 * answering the upgrade and writing unmasked frames as raw bytes, and decodes what the client wrote.
 */
class NettyWebSocketConnectionTest {
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final Recorder listener = new Recorder();
    private NettyWebSocketConnection connection;
    private EmbeddedChannel channel;
    /** Decodes the client's (masked) frames as the server would. */
    private final EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(true, false, 1 << 20));

    private static final class Recorder implements WebSocketTransport.Listener {
        final List<String> texts = new ArrayList<>();
        final List<String> closes = new ArrayList<>();
        int pongs;
        String throwOn = "";

        @Override
        public void onText(String text) {
            texts.add(text);
            if (!throwOn.isEmpty() && text.contains(throwOn)) {
                throw new IllegalStateException("listener bug");
            }
        }

        @Override
        public void onClosed(int code, String reason) {
            closes.add(code + " " + reason);
        }

        @Override
        public void onPong() {
            pongs++;
        }
    }

    @BeforeEach
    void open() {
        connection = new NettyWebSocketConnection(
                WebSocketClientHandshakerFactory.newHandshaker(
                        URI.create("ws://slack.test/websocket/abc"),
                        WebSocketVersion.V13,
                        null,
                        false,
                        new DefaultHttpHeaders(),
                        NettyWebSocketTransport.MAX_MESSAGE_BYTES),
                listener);
        channel = new EmbeddedChannel(
                new HttpClientCodec(),
                new HttpObjectAggregator(16 << 10),
                new WebSocketFrameAggregator(NettyWebSocketTransport.MAX_MESSAGE_BYTES),
                connection);
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    /** Reads the client's upgrade request and answers it the way Slack does. */
    private void upgrade() throws Exception {
        ByteBuf request = channel.readOutbound();
        Matcher key =
                Pattern.compile("(?i)sec-websocket-key: *(\\S+)").matcher(request.toString(StandardCharsets.US_ASCII));
        request.release();
        assertThat(key.find()).isTrue();
        byte[] sha1 = MessageDigest.getInstance("SHA-1")
                .digest((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        respond("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(sha1) + "\r\n\r\n");
        channel.runPendingTasks(); // the handshaker removes the HTTP codec in a task
        assertThat(connection.handshakeFuture().isDone()).isTrue();
    }

    private void respond(String http) {
        channel.writeInbound(Unpooled.copiedBuffer(http, StandardCharsets.US_ASCII));
    }

    /** Writes one unmasked server frame. */
    private void frame(boolean fin, int opcode, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            b.writeByte(payload.length);
        } else {
            b.writeByte(126).writeShort(payload.length);
        }
        b.writeBytes(payload);
        channel.writeInbound(b);
    }

    private void frame(boolean fin, int opcode, String payload) {
        frame(fin, opcode, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame's payload: the code (two bytes) and the reason. */
    private static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    /** The frames the client wrote since the last call, decoded. */
    private List<WebSocketFrame> sent() {
        List<WebSocketFrame> frames = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            server.writeInbound(out);
        }
        for (WebSocketFrame f; (f = server.readInbound()) != null; ) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void joinsATextMessageSplitOverFrames() throws Exception {
        upgrade();

        frame(false, TEXT, "{\"type\":\"mess");
        frame(false, CONTINUATION, "age\",\"text\":\"h");
        frame(true, CONTINUATION, "é✓\"}");

        assertThat(listener.texts).containsExactly("{\"type\":\"message\",\"text\":\"hé✓\"}");
    }

    @Test
    void answersPingsWithTheirPayloadAndReportsPongs() throws Exception {
        upgrade();

        frame(true, PING, "p1");
        frame(true, PONG, "");

        List<WebSocketFrame> sent = sent();
        assertThat(sent).hasSize(1).first().isInstanceOf(PongWebSocketFrame.class);
        assertThat(sent.get(0).content().toString(StandardCharsets.UTF_8)).isEqualTo("p1");
        assertThat(listener.pongs).isEqualTo(1);
    }

    @Test
    void sendsTextAsOneFrameOfUtf8() throws Exception {
        upgrade();

        assertThat(connection.sendText("{\"text\":\"hé✓\"}")).isTrue();

        List<WebSocketFrame> sent = sent();
        assertThat(sent).hasSize(1).first().isInstanceOf(TextWebSocketFrame.class);
        assertThat(((TextWebSocketFrame) sent.get(0)).text()).isEqualTo("{\"text\":\"hé✓\"}");
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheNextFrameStillArrives() throws Exception {
        upgrade();
        listener.throwOn = "boom";

        frame(true, TEXT, "boom");
        frame(true, TEXT, "after");

        assertThat(listener.texts).containsExactly("boom", "after");
        assertThat(listener.closes).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void reportsThePeersCloseCodeOnceEchoesItAndCloses() throws Exception {
        upgrade();

        frame(true, CLOSE, closePayload(4000, "migrating"));

        assertThat(listener.closes).containsExactly("4000 migrating");
        List<WebSocketFrame> sent = sent();
        assertThat(sent).hasSize(1).first().isInstanceOf(CloseWebSocketFrame.class);
        assertThat(((CloseWebSocketFrame) sent.get(0)).statusCode()).isEqualTo(4000);
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.sendText("late")).isFalse();
    }

    @Test
    void aConnectionThatEndsWithoutACloseFrameIsReportedAs1006Once() throws Exception {
        upgrade();

        channel.close();
        channel.close();

        assertThat(listener.closes).containsExactly("1006 closed without a close frame");
    }

    @Test
    void ourCloseSendsTheCodeAndIsReportedWithThePeersAnswer() throws Exception {
        upgrade();

        connection.close(1000, "bye");
        List<WebSocketFrame> sent = sent();
        frame(true, CLOSE, closePayload(1000, ""));

        assertThat(sent).hasSize(1).first().isInstanceOf(CloseWebSocketFrame.class);
        assertThat(((CloseWebSocketFrame) sent.get(0)).statusCode()).isEqualTo(1000);
        assertThat(((CloseWebSocketFrame) sent.get(0)).reasonText()).isEqualTo("bye");
        assertThat(connection.sendText("after our close")).isFalse();
        assertThat(listener.closes).containsExactly("1000 ");
        assertThat(sent()).isEmpty(); // no second close frame
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void ourCloseDropsAPeerThatNeverAnswersAfterTheGrace() throws Exception {
        upgrade();
        channel.freezeTime();

        connection.close(1000, "bye");
        channel.advanceTimeBy(NettyWebSocketConnection.CLOSE_GRACE.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(listener.closes).isEmpty();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(listener.closes).containsExactly("1006 closed without a close frame");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRefusedUpgradeFailsTheHandshakeAndReportsNoClose() {
        channel.<ByteBuf>readOutbound().release();

        respond("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");

        assertThatThrownBy(() -> connection.handshakeFuture().get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("403");
        assertThat(channel.isOpen()).isFalse();
        assertThat(listener.closes).isEmpty();
    }
}
