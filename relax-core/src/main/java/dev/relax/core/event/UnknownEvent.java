/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.event;

/**
 * An event whose type this version of Relax does not know, kept whole (every field, including those it
 * cannot name) so that a consumer can log it, forward it, or ignore it without losing it.
 */
public record UnknownEvent(WireEvent wire) implements RelaxEvent {}
