/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

/**
 * The Redis names of the Web API calls stream, all derived from the configured calls key {@code K}
 * ({@code RELAX_CALLS_KEY}, {@link dev.relax.core.RelaxConfig#callsKey()}), as docs/protocol.md names them:
 * the stream {@code K}, the brokers' consumer group {@value #GROUP}, each call's result {@code
 * K:result:<id>} and the channel {@code K:results} its result is published on. The other keys under
 * {@code K:} are the brokers' own: the lanes {@code K:lanes}, pace keys {@code K:pace:<team>:<method>:<channel>},
 * hold keys {@code K:hold:<team>:<method>} and attempt keys {@code K:attempt:<id>}.
 *
 * <pre>{@code
 * CallKeys keys = new CallKeys(config.callsKey());
 * redis.get(keys.result(callId)); // {"id":"...","ok":true,...}, see CallOutcome
 * }</pre>
 *
 * @param stream the calls key {@code K}: the stream apps {@code XADD} {@link CallRequest}s to
 */
public record CallKeys(String stream) {
    /** The consumer group in which brokers read the stream, each as consumer {@code broker-<id>}. */
    public static final String GROUP = "relax-brokers";

    /** Refuses an empty calls key. */
    public CallKeys {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("the calls key must not be empty");
        }
    }

    /** {@code K:result:<id>}: the result of call {@code id} as JSON ({@link CallOutcome}), kept a day. */
    public String result(String id) {
        return stream + ":result:" + id;
    }

    /** {@code K:results}: the pub/sub channel every result is published on when it is stored. */
    public String results() {
        return stream + ":results";
    }

    /** {@code K:lanes}: the sorted set that keeps each channel's calls in stream order across brokers. */
    public String lanes() {
        return stream + ":lanes";
    }

    /** {@code K:attempt:<id>}: the number of the attempt of call {@code id} under way or of unknown outcome. */
    public String attempt(String id) {
        return stream + ":attempt:" + id;
    }

    /** {@code K:pace:<team>:<method>:<channel>}: set while a method waits its interval in a channel. */
    public String pace(String teamId, String method, String channel) {
        return stream + ":pace:" + teamId + ":" + method + ":" + channel;
    }

    /** {@code K:hold:<team>:<method>}: set while Slack rate-limits a method in a workspace (HTTP 429). */
    public String hold(String teamId, String method) {
        return stream + ":hold:" + teamId + ":" + method;
    }
}
