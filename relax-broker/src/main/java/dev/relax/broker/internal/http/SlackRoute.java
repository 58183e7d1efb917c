/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import dev.relax.broker.internal.apps.EnvelopeKind;

/**
 * The first and cheapest step of a request to {@code /slack/...}: which endpoint its path names
 * ({@code events}, {@code commands}, {@code interactive}, each optionally followed by {@code /<app id>}), and
 * that it is a {@code POST}.
 */
final class SlackRoute {
    private SlackRoute() {}

    /** Sets the request's kind and, when the path names one, its app; refuses any other path or method. */
    static void route(SlackRequest request) throws Rejection {
        String path = request.exchange.getRequestURI().getPath();
        String rest = path.substring(SlackEventsHandler.CONTEXT.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String appId = slash < 0 ? "" : rest.substring(slash + 1);
        EnvelopeKind kind =
                switch (name) {
                    case "events" -> EnvelopeKind.EVENTS_API;
                    case "commands" -> EnvelopeKind.SLASH_COMMANDS;
                    case "interactive" -> EnvelopeKind.INTERACTIVE;
                    default -> null;
                };
        if (kind == null || appId.contains("/")) {
            throw new Rejection(404, RequestResult.NOT_FOUND, "no such endpoint");
        }
        request.kind = kind;
        request.appId = appId;
        String method = request.exchange.getRequestMethod();
        if (!"POST".equals(method)) {
            request.exchange.getResponseHeaders().set("Allow", "POST");
            throw new Rejection(405, RequestResult.METHOD_NOT_ALLOWED, "method " + method);
        }
    }
}
