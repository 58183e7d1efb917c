/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import dev.relax.core.protocol.Installation;
import java.util.Optional;

/**
 * What a call does when Slack answers {@code token_expired}: renew the installation's rotating token now.
 * {@link #NONE} when the broker renews nothing.
 */
@FunctionalInterface
public interface ExpiredTokens {
    /** Renews nothing: the call fails with {@code token_expired}. */
    ExpiredTokens NONE = expired -> Optional.empty();

    /**
     * The installation with a bot token that replaces {@code expired}'s, refreshed now or by another
     * broker meanwhile; empty when there is none (no rotation, the refresh failed or was refused, or it
     * did not come in time). Blocks up to a few seconds.
     */
    Optional<Installation> renew(Installation expired) throws InterruptedException;
}
