/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import io.lettuce.core.AbstractRedisClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shuts Lettuce clients down within a bound. */
public final class RedisClients {
    private static final Logger log = LoggerFactory.getLogger(RedisClients.class);

    private RedisClients() {}

    /**
     * Shuts {@code client} down and waits at most 5 s: Lettuce's {@code shutdown(...)} waits without a
     * limit for every connection's close, and a connection closed while it reconnects (after an
     * {@code EmbeddedRedis} restart) once left that wait unanswered and a whole test run hanging.
     */
    public static void shutdown(AbstractRedisClient client) {
        try {
            client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("a Redis client did not shut down within 5 s: {}", e.toString());
        }
    }
}
