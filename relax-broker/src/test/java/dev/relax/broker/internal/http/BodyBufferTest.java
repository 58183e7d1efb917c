/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** {@link BodyBuffer}: what it holds of the budget as a body trickles in, and what it gives back. */
class BodyBufferTest {

    @Test
    void holdsNothingBeforeTheFirstByteThenAtMostTwiceWhatArrived() throws IOException {
        Semaphore budget = new Semaphore(1 << 20);
        int length = 20_000;
        InputStream trickle = new ByteArrayInputStream(new byte[length]) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        List<String> held = new ArrayList<>();
        try (BodyBuffer body = new BodyBuffer(budget, length)) {
            held.add(body.size() + ":" + ((1 << 20) - budget.availablePermits()));
            int n;
            while ((n = body.readFrom(trickle)) > 0) {
                int holds = (1 << 20) - budget.availablePermits();
                if (!held.getLast().endsWith(":" + holds)) {
                    held.add(body.size() + ":" + holds);
                }
            }
            assertThat(n).isEqualTo(-1);
            assertThat(body.bytes()).hasSize(length);
        }

        // size:held at each growth: 4 KiB on the first byte, doubling, then the declared length.
        assertThat(held).containsExactly("0:0", "1:4096", "4097:8192", "8193:16384", "16385:20000");
        assertThat(budget.availablePermits()).isEqualTo(1 << 20);
    }

    @Test
    void refusesAGrowthTheBudgetCannotPayAndGivesBackWhatItHeldOnce() throws IOException {
        Semaphore budget = new Semaphore(6000);
        BodyBuffer body = new BodyBuffer(budget, 10_000);
        InputStream in = new ByteArrayInputStream(new byte[10_000]);

        assertThat(body.readFrom(in)).isEqualTo(1);
        assertThat(body.readFrom(in)).isEqualTo(4095);
        assertThat(body.readFrom(in)).isEqualTo(BodyBuffer.NO_ROOM);
        assertThat(budget.availablePermits()).isEqualTo(6000 - 4096);

        body.close();
        body.close();
        assertThat(budget.availablePermits()).isEqualTo(6000);
    }
}
