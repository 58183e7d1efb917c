/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.Semaphore;

/**
 * One request body as it arrives, in an array that grows only when bytes come that do not fit, each
 * growth paid for from a budget of bytes shared by every request ({@code budget}, a {@link Semaphore}
 * whose permits are bytes). A client that sends headers and then nothing holds no part of the budget; one
 * that sends part of its body holds at most twice what it sent, or {@link #FIRST_ROOM} (less when its
 * declared length is less). A growth the budget cannot pay is refused ({@link #NO_ROOM}), never waited for.
 *
 * <p>The room starts at {@link #FIRST_ROOM} and doubles (copies of a doubling array cost at most twice the
 * body in all), never beyond {@code limit}, which is the declared {@code Content-Length} when there is one:
 * a body of a declared length ends in an array of exactly that length, which {@link #bytes()} returns
 * without a copy. While an array is copied into its larger successor both exist for a moment; only the
 * larger is counted.
 *
 * <p>Used by the one thread that handles the request; {@link #close()} gives its bytes back to the budget and
 * must be called however the request ends.
 */
final class BodyBuffer implements AutoCloseable {
    /**
     * The room taken when a body's first byte arrives; small, since that is what a client that sends one
     * byte and stops holds (1,024 connections, the runnable jar's limit, hold 4 MiB), and Slack's typical
     * requests need a doubling or two beyond it.
     */
    static final int FIRST_ROOM = 4 << 10;
    /** What {@link #readFrom} answers when the budget cannot pay for the room the next byte needs. */
    static final int NO_ROOM = -2;

    private static final byte[] EMPTY = new byte[0];

    private final Semaphore budget;
    private final int limit;
    /** Its length is what this buffer holds of the budget. */
    private byte[] room = EMPTY;

    private int size;

    /** @param limit the largest body this buffer holds; the declared length when there is one */
    BodyBuffer(Semaphore budget, int limit) {
        this.budget = budget;
        this.limit = limit;
    }

    /**
     * Reads what has arrived, at least one byte, blocking until it comes: with no room left, one byte is
     * read first and room taken only then, so that waiting holds nothing more.
     *
     * @return the bytes read; -1 at the end of the stream or once {@code limit} bytes are in; {@link #NO_ROOM}
     *     when the budget cannot pay for the room the byte just read needs (the byte is then dropped)
     */
    int readFrom(InputStream in) throws IOException {
        if (size == limit) {
            return -1;
        }
        if (size == room.length) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            if (!grow()) {
                return NO_ROOM;
            }
            room[size++] = (byte) b;
            return 1;
        }
        int n = in.read(room, size, room.length - size);
        if (n < 0) {
            return -1;
        }
        size += n;
        return n;
    }

    private boolean grow() {
        int grown = (int) Math.min(limit, Math.max(FIRST_ROOM, 2L * room.length));
        if (!budget.tryAcquire(grown - room.length)) {
            return false;
        }
        room = Arrays.copyOf(room, grown);
        return true;
    }

    int size() {
        return size;
    }

    /** The body read so far: the array itself when it is full (a declared length, all in), else a copy. */
    byte[] bytes() {
        return size == room.length ? room : Arrays.copyOf(room, size);
    }

    /** Gives this buffer's bytes back to the budget; later calls do nothing. */
    @Override
    public void close() {
        budget.release(room.length);
        room = EMPTY;
        size = 0;
    }
}
