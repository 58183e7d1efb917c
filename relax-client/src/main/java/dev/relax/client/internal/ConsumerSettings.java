/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.client.internal;

import dev.relax.client.EventConsumer.Ordering;
import dev.relax.core.event.RelaxEvent;
import java.time.Duration;

/** A consumer's settings, checked by its builder, and the Redis keys they name. */
public record ConsumerSettings(
        String queue,
        String id,
        int concurrency,
        Ordering ordering,
        int maxAttempts,
        Duration retryBackoff,
        Duration heartbeat,
        int deadLetterLimit) {

    /**
     * The key of the events that must run one at a time, in queue order, with {@code event}; null when it
     * may run beside any other.
     */
    public String orderingKey(RelaxEvent event) {
        return switch (ordering) {
            case PER_CHANNEL -> event.teamUid() + "/" + event.wire().channelUid();
            case PER_TEAM -> event.teamUid();
            case NONE -> null;
        };
    }

    /** How often the heartbeat is refreshed (and dead consumers looked for): a third of its life, 100 ms at least. */
    public Duration beatEvery() {
        return Duration.ofMillis(Math.max(100, heartbeat.toMillis() / 3));
    }

    /** The list of events this consumer holds while their handlers run. */
    public String processingKey() {
        return processingKey(id);
    }

    public String processingKey(String consumerId) {
        return queue + ":processing:" + consumerId;
    }

    /** The key whose expiry tells others this consumer died. */
    public String heartbeatKey(String consumerId) {
        return queue + ":consumer:" + consumerId;
    }

    /**
     * Set (with a TTL) by a consumer that stopped while its fetch thread was stuck: whoever reaps it keeps
     * it in the registry while this key lives, so that an event its last BLMOVE moves in late is reaped
     * too. Consumer ids hold no space, so no id's heartbeat key is another's lingering key.
     */
    public String lingeringKey(String consumerId) {
        return queue + ":consumer:" + consumerId + " lingering";
    }

    /** The set of consumer ids, so that live consumers can find dead ones. */
    public String registryKey() {
        return queue + ":consumers";
    }

    /** Where events go that could not be handled. */
    public String deadLetterKey() {
        return queue + ":dead";
    }
}
