/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

/**
 * A snapshot of one Socket Mode envelope (https://api.slack.com/apis/socket-mode) and its fate.
 *
 * @param type {@code events_api}, {@code slash_commands} or {@code interactive}
 * @param payload the envelope's payload as JSON
 * @param attempts how many times it was written to a connection (1 + retries)
 * @param acked whether a client acknowledged it
 * @param ackPayload the {@code payload} of the ack as JSON, empty when the ack had none
 */
public record EnvelopeRecord(
        String envelopeId, String appId, String type, String payload, int attempts, boolean acked, String ackPayload) {}
