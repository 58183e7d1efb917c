/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Every {@link BrokerOptions} value by name, in the order of the record that {@code BrokerOptions} was
 * until it became builder-only: what its {@code equals}, {@code hashCode} and {@code toString} still go by.
 */
final class BrokerOptionsValues {
    private BrokerOptionsValues() {}

    static Map<String, Object> of(BrokerOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pingInterval", o.pingInterval());
        m.put("maxMissedPongs", o.maxMissedPongs());
        m.put("backoffInitial", o.backoffInitial());
        m.put("backoffMax", o.backoffMax());
        m.put("loginConcurrency", o.loginConcurrency());
        m.put("startJitter", o.startJitter());
        m.put("dedupeTtl", o.dedupeTtl());
        m.put("bufferSize", o.bufferSize());
        m.put("batchSize", o.batchSize());
        m.put("rtmMethod", o.rtmMethod());
        m.put("mentionsAndDmsOnly", o.mentionsAndDmsOnly());
        m.put("httpHost", o.httpHost());
        m.put("httpMaxBody", o.httpMaxBody());
        m.put("httpMaxInFlight", o.httpMaxInFlight());
        m.put("shutdownTimeout", o.shutdownTimeout());
        m.put("appLeaseTtl", o.appLeaseTtl());
        m.put("callInterval", o.callInterval());
        m.put("callMaxAttempts", o.callMaxAttempts());
        m.put("callClaimIdle", o.callClaimIdle());
        m.put("websocket", o.websocket());
        m.put("writeLinger", o.writeLinger());
        m.put("callMaxHeld", o.callMaxHeld());
        m.put("managementPort", o.managementPort());
        m.put("tokenRefreshMargin", o.tokenRefreshMargin());
        m.put("tokenRefreshInterval", o.tokenRefreshInterval());
        m.put("rtmReplicas", o.rtmReplicas());
        m.put("warmup", o.warmup());
        return m;
    }

    /** {@code BrokerOptions[pingInterval=PT5S, maxMissedPongs=3, ...]}, as the record printed itself. */
    static String text(BrokerOptions o) {
        StringJoiner out = new StringJoiner(", ", "BrokerOptions[", "]");
        of(o).forEach((name, value) -> out.add(name + "=" + value));
        return out.toString();
    }
}
