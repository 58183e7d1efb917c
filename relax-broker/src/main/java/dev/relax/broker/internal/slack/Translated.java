/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.core.event.WireEvent;

/**
 * A Relax event made from a Slack frame, with the key brokers deduplicate it by.
 *
 * @param dedupe stable across brokers that hold the same bot: see {@link DedupeKey}
 */
public record Translated(WireEvent event, DedupeKey dedupe) {}
