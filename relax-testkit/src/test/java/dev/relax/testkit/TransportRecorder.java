/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.broker.internal.slack.WebSocketTransport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a websocket transport reports to its listener; throws on the frames it is told to. */
final class TransportRecorder implements WebSocketTransport.Listener {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Integer> closes = new CopyOnWriteArrayList<>();
    final List<String> reasons = new CopyOnWriteArrayList<>();
    volatile String throwOn = "";

    @Override
    public void onText(String text) {
        texts.add(text);
        if (!throwOn.isEmpty() && text.contains(throwOn)) {
            throw new IllegalStateException("listener bug on " + throwOn);
        }
    }

    @Override
    public void onClosed(int code, String reason) {
        closes.add(code);
        reasons.add(reason);
    }
}
