/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the broker's per-frame work over sample RTM frames at start, on one background thread, so that the
 * JIT has compiled it by the time the first real events arrive: a broker is judged from its first second (a
 * deploy, a failover). Each round parses every sample as a socket does ({@link FrameParser}), translates it
 * ({@link RtmTranslator}), encodes the event's JSON and its dedupe key as the event writer does, and reads
 * Slack's time as {@link Arrival} does. What it makes is dropped: it holds no socket, no Redis connection
 * and no event writer, so it can never produce an event. Turned off with {@code RELAX_WARMUP=false}.
 */
public final class HotPathWarmup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HotPathWarmup.class);

    /** Rounds at start: 110,000 frames, past C2's thresholds for the hot path, about a second of one core. */
    public static final int DEFAULT_ROUNDS = 10_000;

    /** Pause after each round: the warm-up takes at most about half a core at first, a tenth once compiled. */
    static final long PAUSE_NANOS = 500_000;

    /** Frames of every kind the translator reports, and two it skips, in Slack's shapes. */
    static final List<String> FRAMES = List.of(
            "{\"type\":\"message\",\"channel\":\"C0WARM\",\"user\":\"U0WARM\",\"text\":\"<@U0BOT> hello there\","
                    + "\"ts\":\"1700000000.000100\",\"team\":\"T0WARM\",\"client_msg_id\":\"5f2bd3e0\","
                    + "\"blocks\":[{\"type\":\"rich_text\",\"block_id\":\"x\",\"elements\":[{\"type\":"
                    + "\"rich_text_section\",\"elements\":[{\"type\":\"text\",\"text\":\"hello there\"}]}]}]}",
            "{\"type\":\"message\",\"channel\":\"D0WARM\",\"user\":\"U0WARM\",\"text\":\"a direct message\","
                    + "\"ts\":\"1700000000.000200\",\"event_ts\":\"1700000000.000200\"}",
            "{\"type\":\"message\",\"channel\":\"C0WARM\",\"user\":\"U0WARM\",\"text\":\"see this\","
                    + "\"ts\":\"1700000000.000300\",\"attachments\":[{\"fallback\":\"f\",\"title\":\"t\","
                    + "\"text\":\"x\",\"ts\":1700000000,\"fields\":[{\"title\":\"a\",\"value\":\"b\",\"short\":true}],"
                    + "\"actions\":[{\"name\":\"n\",\"text\":\"go\",\"type\":\"button\",\"value\":\"v\"}]}]}",
            "{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel\":\"C0WARM\",\"hidden\":true,"
                    + "\"message\":{\"type\":\"message\",\"user\":\"U0WARM\",\"text\":\"edited\","
                    + "\"ts\":\"1700000000.000100\",\"edited\":{\"user\":\"U0WARM\",\"ts\":\"1700000001.000000\"}},"
                    + "\"ts\":\"1700000001.000400\",\"event_ts\":\"1700000001.000400\"}",
            "{\"type\":\"message\",\"subtype\":\"message_deleted\",\"channel\":\"C0WARM\",\"hidden\":true,"
                    + "\"deleted_ts\":\"1700000000.000100\",\"ts\":\"1700000002.000500\","
                    + "\"previous_message\":{\"type\":\"message\",\"user\":\"U0WARM\",\"text\":\"edited\"}}",
            "{\"type\":\"reaction_added\",\"user\":\"U0WARM\",\"reaction\":\"thumbsup\",\"item_user\":\"U0BOT\","
                    + "\"item\":{\"type\":\"message\",\"channel\":\"C0WARM\",\"ts\":\"1700000000.000100\"},"
                    + "\"event_ts\":\"1700000003.000600\"}",
            "{\"type\":\"reaction_removed\",\"user\":\"U0WARM\",\"reaction\":\"thumbsup\","
                    + "\"item\":{\"type\":\"message\",\"channel\":\"C0WARM\",\"ts\":\"1700000000.000100\"},"
                    + "\"event_ts\":\"1700000004.000700\"}",
            "{\"type\":\"presence_change\",\"user\":\"U0WARM\",\"presence\":\"active\"}",
            "{\"type\":\"user_typing\",\"channel\":\"C0WARM\",\"user\":\"U0WARM\"}",
            "{\"type\":\"team_join\",\"user\":{\"id\":\"U1WARM\",\"name\":\"new\",\"is_bot\":false}}",
            "{\"type\":\"im_created\",\"user\":\"U0WARM\",\"channel\":{\"id\":\"D1WARM\",\"user\":\"U0WARM\"}}");

    private final JsonFactory json;
    private final RtmTranslator translator;
    private final BotIdentity bot = new BotIdentity(BotId.of("T0WARM"), "U0BOT");
    private final int rounds;
    private final long pauseNanos;
    private Thread thread;

    HotPathWarmup(JsonFactory json, Clock clock, int rounds, long pauseNanos) {
        this.json = json;
        this.translator = new RtmTranslator(clock, false, json);
        this.rounds = rounds;
        this.pauseNanos = pauseNanos;
    }

    /**
     * Starts warming up on a daemon thread of the lowest priority and returns at once; {@link #close()}
     * stops it early (it ends by itself after {@code rounds} rounds).
     */
    public static HotPathWarmup start(JsonFactory json, Clock clock, int rounds) {
        HotPathWarmup w = new HotPathWarmup(json, clock, rounds, PAUSE_NANOS);
        w.thread = Thread.ofPlatform()
                .name("relax-warmup")
                .daemon()
                .priority(Thread.MIN_PRIORITY)
                .start(w::runLogged);
        return w;
    }

    private void runLogged() {
        long started = System.nanoTime();
        try {
            int events = run();
            if (Thread.currentThread().isInterrupted()) {
                return; // the broker is closing
            }
            log.info(
                    "hot path warmed up: {} frames, {} events made and dropped, in {} ms",
                    (long) rounds * FRAMES.size(),
                    events,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // Only the first events of a broker lose by this; they are still handled.
            log.warn("hot path warm-up failed: {}", e.toString());
        }
    }

    /** Runs every round on this thread, unless interrupted; returns how many events it made (and dropped). */
    int run() {
        int events = 0;
        for (int round = 0; round < rounds && !Thread.currentThread().isInterrupted(); round++) {
            for (String text : FRAMES) {
                events += frame(text) ? 1 : 0;
            }
            // Leaves most of a core to the logins and handshakes of the connect storm, which run at the same
            // time: unpaced, the warm-up delayed "all connected" of 500 bots by seconds (docs/performance.md).
            LockSupport.parkNanos(pauseNanos);
        }
        return events;
    }

    /** One frame the way a socket and the writer handle it; true when it made an event. */
    private boolean frame(String text) {
        JsonNode frame;
        try {
            frame = FrameParser.parse(json, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Arrival arrival = Arrival.now(Arrival.Transport.RTM);
        Translated t = translator.translate(bot, frame);
        if (t == null) {
            return false;
        }
        arrival.slackTime(frame.path("event_ts").asText(frame.path("ts").asText("")));
        String line = RelaxJson.encodeEvent(t.event());
        String key = t.dedupe().boundedKey("warmup") + t.dedupe().hashField();
        return !line.isEmpty() && !key.isEmpty();
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
