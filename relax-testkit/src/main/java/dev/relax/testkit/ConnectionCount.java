/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.time.Instant;

/** The number of open connections of a team (RTM) or an app (Socket Mode) from {@code at} on. */
public record ConnectionCount(Instant at, int count) {}
