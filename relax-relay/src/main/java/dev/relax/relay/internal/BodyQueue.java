/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns a response body's publisher into pieces the reading thread takes with a deadline, so that a
 * silent backend is noticed (idle and total timeouts) without a thread per response. Asks for one
 * piece at a time: the backend is read no faster than the relay consumes. The HTTP client's threads
 * call the {@code on…} methods; the reading thread calls {@link #next} and {@link #cancel}.
 */
final class BodyQueue implements Flow.Subscriber<List<ByteBuffer>> {
    /** What {@link #next} returns: bytes, the end of the body, or its failure. */
    sealed interface Piece {}

    record Bytes(List<ByteBuffer> buffers) implements Piece {}

    record End() implements Piece {}

    record Broken(Throwable error) implements Piece {}

    private static final End END = new End();

    private final BlockingQueue<Piece> pieces = new LinkedBlockingQueue<>();
    // Set once by the client's thread; read by the reading thread. Guarded by this.
    private Flow.Subscription subscription;
    private boolean cancelled;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        synchronized (this) {
            if (!cancelled) {
                this.subscription = subscription;
                subscription.request(1);
                return;
            }
        }
        subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        pieces.add(new Bytes(item));
    }

    @Override
    public void onError(Throwable throwable) {
        pieces.add(new Broken(throwable));
    }

    @Override
    public void onComplete() {
        pieces.add(END);
    }

    /**
     * The next piece, waiting at most {@code timeoutNanos}; {@code null} when none came in time.
     *
     * @throws InterruptedException when the reading thread is interrupted
     */
    Piece next(long timeoutNanos) throws InterruptedException {
        Piece piece = pieces.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        if (piece instanceof Bytes) {
            synchronized (this) {
                if (subscription != null && !cancelled) {
                    subscription.request(1);
                }
            }
        }
        return piece;
    }

    /** Stops reading: the client closes the connection; later pieces are dropped. */
    void cancel() {
        Flow.Subscription toCancel;
        synchronized (this) {
            cancelled = true;
            toCancel = subscription;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }
}
