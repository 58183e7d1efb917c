/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import dev.relax.client.EventConsumer;
import dev.relax.client.RelaxClient;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.MessageNew;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A consumer process of an application without Micrometer: {@code PlainConsumerMain <redis port> <key
 * prefix>} handles one event, stops, and prints {@code HANDLED <text> WITHOUT MICROMETER} (or says that
 * Micrometer was on its class path after all).
 */
public final class PlainConsumerMain {
    private PlainConsumerMain() {}

    public static void main(String[] args) throws Exception {
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix(args[1])
                .redis(RedisAddress.of("127.0.0.1", Integer.parseInt(args[0])))
                .build();
        CompletableFuture<String> handled = new CompletableFuture<>();
        try (RelaxClient relax = RelaxClient.create(config);
                EventConsumer consumer = relax.consumer()
                        .on(MessageNew.class, m -> handled.complete(m.text()))
                        .start()) {
            String text = handled.get(30, TimeUnit.SECONDS);
            System.out.println("HANDLED " + text + (micrometerPresent() ? " WITH MICROMETER" : " WITHOUT MICROMETER"));
        }
    }

    private static boolean micrometerPresent() {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
