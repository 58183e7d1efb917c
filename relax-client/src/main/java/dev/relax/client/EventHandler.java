/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client;

import dev.relax.core.event.RelaxEvent;

/**
 * Handles one kind of event. Throwing means "not handled": the consumer retries the event with back-off
 * and, after the last attempt, moves it to the dead-letter list.
 */
@FunctionalInterface
public interface EventHandler<T extends RelaxEvent> {
    void handle(T event) throws Exception;
}
