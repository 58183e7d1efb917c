/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import java.time.Instant;

/**
 * An event that could not be handled, as stored on the dead-letter list ({@code <events queue>:dead})
 * as JSON: {@code {"event":"<raw>","error":"...","attempts":3,"consumer":"...","failed_at":"..."}}.
 *
 * @param rawEvent the event exactly as it was on the queue
 * @param error the last failure, {@code Class: message}
 * @param attempts how often a handler ran (0 for an event that was not valid JSON)
 */
public record DeadLetter(String rawEvent, String error, int attempts, String consumer, Instant failedAt) {}
