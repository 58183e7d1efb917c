/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

/**
 * The result of a Web API call a broker made for an app ({@link RelaxClient#call(WebApiCall)}), as stored
 * at {@code <calls key>:result:<id>} for a day.
 *
 * <pre>{@code
 * CallResult r = relax.postMessage("A1", "T1", "C1", "hi").result().get(10, TimeUnit.SECONDS);
 * if (r.ok()) { threads.remember(r.channel(), r.ts()); } else { log.warn("not posted: {}", r.error()); }
 * }</pre>
 *
 * @param id the call's id ({@link SlackCall#id()})
 * @param ok whether Slack answered {@code "ok":true}
 * @param method e.g. {@code chat.postMessage}
 * @param channel the channel Slack answered with, else the one asked for
 * @param ts the message's timestamp (its id in the channel, for threads and chat.update); empty when the
 *     call failed, and for replies sent over an RTM bot's socket, for which Slack gives Relax no ts
 * @param error Slack's error (e.g. {@code channel_not_found}), Relax's ({@code installation_not_found},
 *     {@code network_error}, {@code invalid_call}, {@code outcome_unknown}: Slack may or may not have made
 *     the call, which is not repeated when repeating it could post twice), or empty when ok
 * @param attempts how many times the broker called Slack (more than 1 after 429, 5xx or network errors)
 * @param responseJson Slack's whole answer as JSON, {@code {}} when there was none
 */
public record CallResult(
        String id,
        boolean ok,
        String method,
        String channel,
        String ts,
        String error,
        int attempts,
        String responseJson) {}
