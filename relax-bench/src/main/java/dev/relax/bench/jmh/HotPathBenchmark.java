/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.broker.internal.slack.BotIdentity;
import dev.relax.broker.internal.slack.FrameParser;
import dev.relax.broker.internal.slack.RtmTranslator;
import dev.relax.broker.internal.slack.Translated;
import dev.relax.core.event.WireEvent;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.BotId;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broker's per-event work, step by step, for one RTM {@code message} frame as Slack sends it
 * (https://api.slack.com/events/message): parse the frame as a socket does, translate it to a Relax event,
 * encode the event's JSON, and the three together; {@code parseTree}, Jackson's whole tree of the frame (how
 * the broker parsed frames before), for comparison. Run with {@code ./build.sh jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
    /** A channel message with an attachment-free body, the most common frame by far. */
    static final String FRAME = "{\"type\":\"message\",\"channel\":\"C024BE91L\",\"user\":\"U2147483697\","
            + "\"text\":\"<@U0BOT> can you deploy the release branch to staging please?\","
            + "\"ts\":\"1355517523.000005\",\"team\":\"T024BE7LD\",\"client_msg_id\":"
            + "\"5f2bd3e0-2f1d-4d2f-a0a7-000000000000\",\"blocks\":[{\"type\":\"rich_text\",\"block_id\":\"x\","
            + "\"elements\":[{\"type\":\"rich_text_section\",\"elements\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}]}";

    private ObjectMapper json;
    private RtmTranslator translator;
    private BotIdentity bot;
    private JsonNode parsed;
    private WireEvent event;

    @Setup
    public void setUp() throws Exception {
        json = new ObjectMapper();
        translator = new RtmTranslator(Clock.systemUTC(), false, json.getFactory());
        bot = new BotIdentity(BotId.of("T024BE7LD"), "U0BOT");
        parsed = FrameParser.parse(json.getFactory(), FRAME);
        event = translator.translate(bot, parsed).event();
    }

    @Benchmark
    public JsonNode parse() throws Exception {
        return FrameParser.parse(json.getFactory(), FRAME);
    }

    @Benchmark
    public JsonNode parseTree() throws Exception {
        return json.readTree(FRAME);
    }

    @Benchmark
    public Translated translate() {
        return translator.translate(bot, parsed);
    }

    @Benchmark
    public String encode() {
        return RelaxJson.encodeEvent(event);
    }

    @Benchmark
    public String frameToJson() throws Exception {
        return RelaxJson.encodeEvent(translator
                .translate(bot, FrameParser.parse(json.getFactory(), FRAME))
                .event());
    }
}
