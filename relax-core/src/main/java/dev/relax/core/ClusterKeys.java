/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static dev.relax.core.protocol.Protocol.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule that lets Relax run on a Redis Cluster: its Lua scripts touch several keys at once (the events
 * queue and the mutex hash, a registration and its index, a lease and the broker registry), and a cluster
 * runs a script only when all its keys hash to one slot. Every key Relax derives from a configured name
 * appends to it, so it keeps that name's hash tag; hence every configured key must carry the same non-empty
 * hash tag ({@code {relax}:events}, {@code {relax}:mutex}, ...). The commands channel is no key: pub/sub
 * channels are not bound to slots.
 *
 * @see <a href="https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags">Redis
 *     Cluster specification: hash tags</a>
 */
final class ClusterKeys {
    private ClusterKeys() {}

    /**
     * The hash tag of {@code key} as Redis Cluster reads it: what lies between the first {@code {} and the
     * first {@code }} after it, if that is not empty; else null (the whole key is hashed).
     */
    static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open < 0) {
            return null;
        }
        int close = key.indexOf('}', open + 1);
        if (close < 0 || close == open + 1) {
            return null;
        }
        return key.substring(open + 1, close);
    }

    /** Throws, naming the keys and the fix, unless every key of {@code config} shares one hash tag. */
    static void check(RelaxConfig config) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ENV_BOTS_KEY, config.botsKey());
        keys.put(ENV_EVENTS_QUEUE, config.eventsQueue());
        keys.put(ENV_MUTEX_KEY, config.mutexKey());
        keys.put(ENV_APPS_KEY, config.appsKey());
        keys.put(ENV_INSTALLATIONS_KEY, config.installationsKey());
        keys.put(ENV_CALLS_KEY, config.callsKey());
        String tag = null;
        boolean agree = true;
        List<String> shown = new ArrayList<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String t = hashTag(e.getValue());
            shown.add(e.getKey() + "=" + e.getValue() + (t == null ? " (no hash tag)" : " (tag {" + t + "})"));
            if (t == null || (tag != null && !tag.equals(t))) {
                agree = false;
            }
            if (tag == null) {
                tag = t;
            }
        }
        if (agree) {
            return;
        }
        String example = tag != null ? tag : "relax";
        throw RelaxException.badSetting(
                "Redis Cluster keys",
                "do not share one hash slot, so Relax's scripts would fail with CROSSSLOT: " + String.join(", ", shown)
                        + ". Give every key the same hash tag, e.g. " + ENV_BOTS_KEY + "={" + example + "}:bots "
                        + ENV_EVENTS_QUEUE + "={" + example + "}:events " + ENV_MUTEX_KEY + "={" + example
                        + "}:mutex (keys left unset follow " + ENV_BOTS_KEY + "); see docs/operations.md,"
                        + " \"Redis Cluster\"");
    }
}
