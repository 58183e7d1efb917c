/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The relay's internals: not API, may change in any release. The relay is a
 * runnable bot, not a library; nothing here is meant to be called from outside this module.
 */
package dev.relax.relay.internal;
