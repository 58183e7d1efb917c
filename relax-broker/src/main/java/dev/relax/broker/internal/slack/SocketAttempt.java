/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.slack;

import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a {@link ReconnectingSocket} to connect, on a worker (it blocks): ask Slack for a URL,
 * read the answer by {@link SlackConnectErrors}, open the socket, wait for {@code hello} if the protocol
 * asks to. What comes of it goes back to the state machine, which ignores it once {@code forSession} is
 * over (the connection was stopped, or another attempt overtook this one).
 */
final class SocketAttempt implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingSocket.class);

    private final ReconnectingSocket owner;
    private final int forSession;
    /** The socket a refresh replaces, or null. */
    private final SocketHandle replacing;

    private final SocketProtocol protocol;
    private final ReconnectingSocket.Settings settings;
    private final SocketResources res;

    SocketAttempt(ReconnectingSocket owner, int forSession, SocketHandle replacing) {
        this.owner = owner;
        this.forSession = forSession;
        this.replacing = replacing;
        this.protocol = owner.protocol;
        this.settings = owner.settings;
        this.res = owner.res;
    }

    @Override
    public void run() {
        String previousMdc = owner.putMdc();
        try {
            protocol.attemptStarting();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            owner.restoreMdc(previousMdc);
            return;
        }
        try {
            if (!owner.begin(forSession)) {
                return;
            }
            if (replacing != null) {
                protocol.beforeRefresh(replacing);
            }
            SlackWebApi.Response answer;
            try {
                answer = protocol.requestUrl();
            } catch (IOException e) {
                owner.retry(forSession, "network", protocol.method() + " failed: " + e, null);
                return;
            }
            if (!answer.ok()) {
                refused(answer);
                return;
            }
            String url = answer.body().path("url").asText("");
            if (url.isEmpty()) {
                owner.retry(forSession, "no_url", protocol.method() + " answered ok without a websocket url", null);
                return;
            }
            SocketHandle s = new SocketHandle(owner, forSession, answer.body());
            if (!owner.register(s)) {
                return;
            }
            try {
                s.attach(res.transport().connect(URI.create(url), s));
            } catch (IOException | IllegalArgumentException e) {
                owner.forget(s);
                owner.retry(forSession, "websocket", "websocket failed: " + e.getMessage(), null);
                return;
            }
            if (settings.helloTimeout() != null && !awaitHello(s)) {
                s.retire(1000, "no hello");
                owner.retry(
                        forSession,
                        "no_hello",
                        s.closed ? "socket closed before hello" : "no hello within " + settings.helloTimeout(),
                        null);
                return;
            }
            owner.becomeCurrent(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Never strand a connection in CONNECTING, and never let an exception print a token unmasked.
            owner.retry(forSession, "error", "connecting failed: " + e, null);
        } finally {
            protocol.attemptEnded();
            owner.restoreMdc(previousMdc);
        }
    }

    private boolean awaitHello(SocketHandle s) throws InterruptedException {
        try {
            return s.awaitHello(settings.helloTimeout());
        } catch (InterruptedException e) {
            s.retire(1000, "broker stopping");
            throw e;
        }
    }

    private void refused(SlackWebApi.Response answer) {
        String error = answer.error();
        switch (SlackConnectErrors.meaning(protocol.side(), answer)) {
            case DISABLE -> owner.disable(forSession, error);
            case RETRY_AFTER ->
                owner.retry(
                        forSession,
                        "ratelimited",
                        protocol.method() + " is rate limited",
                        answer.retryAfter().orElse(null));
            case RETRY_NOT_FOR_RTM -> {
                log.error(
                        "{}: Slack will not give this token an RTM connection ({}): apps created since 2024-06 "
                                + "cannot use RTM; use a classic app's bot token",
                        owner.name,
                        error);
                owner.retry(forSession, error, protocol.method() + " answered " + error, null);
            }
            case RETRY -> owner.retry(forSession, error, protocol.method() + " answered " + error, null);
        }
    }
}
