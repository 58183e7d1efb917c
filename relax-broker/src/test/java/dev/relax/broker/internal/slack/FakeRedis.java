/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import dev.relax.broker.internal.redis.RedisConnection;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Redis connection for unit tests: every async {@code HSETNX} and {@code HSET} succeeds at once and is
 * recorded as {@code "hsetnx <field>"}; a sync {@code SET} (a lease taken) answers {@code OK} while
 * {@link #leasesFree}, and {@code EVAL} (a lease renewed or released) answers 1. Any other command fails
 * the test.
 */
public final class FakeRedis {
    public final List<String> commands = new CopyOnWriteArrayList<>();
    public volatile boolean leasesFree = true;

    @SuppressWarnings("unchecked")
    public RedisConnection connection() {
        RedisAsyncCommands<String, String> async = (RedisAsyncCommands<String, String>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {RedisAsyncCommands.class}, (p, method, args) -> {
                    switch (method.getName()) {
                        case "hsetnx", "hset" -> {
                            commands.add(method.getName() + " " + args[1]);
                            return new Done<>(Boolean.TRUE);
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
        RedisCommands<String, String> sync = (RedisCommands<String, String>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {RedisCommands.class}, (p, method, args) -> {
                    commands.add(method.getName() + " " + args[0]);
                    return switch (method.getName()) {
                        case "set" -> leasesFree ? "OK" : null;
                        case "eval" -> 1L;
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
        return RedisConnection.of((StatefulRedisConnection<String, String>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {StatefulRedisConnection.class}, (p, method, args) -> {
                    return switch (method.getName()) {
                        case "async" -> async;
                        case "sync" -> sync;
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                }));
    }

    private static final class Done<T> extends CompletableFuture<T> implements RedisFuture<T> {
        Done(T value) {
            complete(value);
        }

        @Override
        public String getError() {
            return null;
        }

        @Override
        public boolean await(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
