/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.client;

import dev.relax.client.RelaxClient;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.event.MessageNew;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A consumer process whose handler never returns, so that a test can kill it mid-handler:
 * {@code CrashingConsumerMain <redis port> <key prefix> <consumer id>}. Prints {@code HANDLING <text>} when
 * its handler starts.
 */
public final class CrashingConsumerMain {
    private CrashingConsumerMain() {}

    public static void main(String[] args) throws InterruptedException {
        RelaxConfig config = RelaxConfig.builder()
                .keysWithPrefix(args[1])
                .redis(RedisAddress.of("127.0.0.1", Integer.parseInt(args[0])))
                .build();
        RelaxClient relax = RelaxClient.create(config);
        CountDownLatch never = new CountDownLatch(1);
        relax.consumer()
                .id(args[2])
                .heartbeat(Duration.ofMillis(900))
                .on(MessageNew.class, m -> {
                    System.out.println("HANDLING " + m.text());
                    System.out.flush();
                    never.await();
                })
                .start();
        never.await();
    }
}
