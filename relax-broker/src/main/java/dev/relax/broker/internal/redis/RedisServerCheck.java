/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.redis;

import dev.relax.core.RelaxException;
import dev.relax.core.internal.Redaction;
import dev.relax.core.internal.RedisRequirement;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Redis the broker is connected to can serve it (6.2 or newer), checked whenever the broker
 * connects, since a failover may land on another server. Thread-safe.
 */
public final class RedisServerCheck {
    private static final Logger log = LoggerFactory.getLogger(RedisServerCheck.class);

    /** Redis cannot serve this broker; retrying does not help. */
    public static final class Unsupported extends RelaxException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    private final Supplier<String> infoServer;
    private final String address;
    private final AtomicBoolean infoRefusedLogged = new AtomicBoolean();

    /**
     * @param infoServer runs {@code INFO server}
     * @param address where Redis is, for messages (no password)
     */
    public RedisServerCheck(Supplier<String> infoServer, String address) {
        this.infoServer = infoServer;
        this.address = address;
    }

    /** Throws {@link Unsupported} (naming the version found) for a Redis that is too old; Redis failures pass. */
    public void verify() {
        RedisRequirement.problem(
                        serverInfo(),
                        "the Relax broker",
                        "XAUTOCLAIM for the calls stream; consumers use BLMOVE",
                        address)
                .ifPresent(problem -> {
                    throw new Unsupported(problem);
                });
    }

    /**
     * {@code INFO server}, or "" when the server refuses it: a Redis user of least privilege is often
     * denied {@code INFO} (it is in the {@code @dangerous} ACL category), and everything else the broker
     * needs works without it. The version is then not checked, which the log says once.
     */
    private String serverInfo() {
        try {
            return infoServer.get();
        } catch (RedisCommandExecutionException e) {
            if (!RedisRequirement.infoRefused(e.getMessage())) {
                throw e; // LOADING, BUSY, MASTERDOWN...: retried like any Redis failure
            }
            if (infoRefusedLogged.compareAndSet(false, true)) {
                log.warn(
                        "Redis at {} refused INFO ({}); the server's version is not checked: Relax needs Redis {} or newer",
                        address,
                        Redaction.redact(e.getMessage()),
                        RedisRequirement.MINIMUM);
            }
            return "";
        }
    }
}
