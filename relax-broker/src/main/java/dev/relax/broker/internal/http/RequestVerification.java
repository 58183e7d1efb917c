/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import static dev.relax.broker.internal.http.RequestResult.BAD_SIGNATURE;
import static dev.relax.broker.internal.http.RequestResult.MALFORMED;
import static dev.relax.broker.internal.http.RequestResult.STALE;
import static dev.relax.broker.internal.http.RequestResult.UNKNOWN_APP;

import com.fasterxml.jackson.core.JsonFactory;
import dev.relax.broker.internal.apps.AppDirectory;
import dev.relax.broker.internal.apps.EnvelopeKind;
import dev.relax.core.protocol.AppRegistration;
import java.io.IOException;
import java.util.List;

/**
 * Which app sent a request whose body is in, proven by its signature: the app comes from the path or, of
 * the still unverified body, only the {@code api_app_id} ({@link AppIdReader}, no tree); its signing secret
 * must have signed the request. Nothing in the body is acted on before this step. Thread-safe.
 */
final class RequestVerification {
    /** url_verification bodies are about 150 bytes; larger bodies without an app id are not tried against every app. */
    private static final int UNNAMED_APP_MAX_BODY = 4096;

    private final SlackRequestVerifier verifier;
    private final AppIdReader appIds;

    RequestVerification(SlackRequestVerifier verifier, JsonFactory json) {
        this.verifier = verifier;
        this.appIds = new AppIdReader(json);
    }

    /**
     * The app whose signing secret signed the request; the request's app id is then that app's. Slack's
     * {@code url_verification} names no app, so a small Events API request without an app id is tried
     * against every app with a signing secret; anything else that names no app is refused before any HMAC
     * is computed, so that unsigned junk cannot make the broker hash large bodies once per app.
     */
    AppRegistration verify(SlackRequest request, AppDirectory apps, byte[] body) throws Rejection {
        if (request.appId.isEmpty()) {
            request.appId = appIdOf(request.kind, body);
        }
        List<AppRegistration> candidates;
        if (request.appId.isEmpty()) {
            if (request.kind != EnvelopeKind.EVENTS_API || body.length > UNNAMED_APP_MAX_BODY) {
                throw new Rejection(401, UNKNOWN_APP, "the request names no app (api_app_id or /<app id> in the path)");
            }
            candidates = apps.apps().stream()
                    .filter(a -> !a.signingSecret().isEmpty())
                    .toList();
        } else {
            AppRegistration named = apps.app(request.appId);
            candidates = named == null || named.signingSecret().isEmpty() ? List.of() : List.of(named);
        }
        if (candidates.isEmpty()) {
            throw new Rejection(401, UNKNOWN_APP, "no registered app with a signing secret has this id");
        }
        String timestamp = request.header(SlackRequest.TIMESTAMP);
        String signature = request.header(SlackRequest.SIGNATURE);
        boolean stale = false;
        for (AppRegistration candidate : candidates) {
            switch (verifier.verify(candidate.signingSecret(), timestamp, signature, body)) {
                case OK -> {
                    request.appId = candidate.appId();
                    return candidate;
                }
                case STALE -> stale = true;
                case BAD_SIGNATURE -> {}
            }
        }
        if (stale) {
            throw new Rejection(401, STALE, "timestamp " + timestamp + " too far from the broker's clock");
        }
        throw new Rejection(401, BAD_SIGNATURE, "signature missing or wrong");
    }

    /** The unverified {@code api_app_id} of the body, read without building it; "" when it names none. */
    private String appIdOf(EnvelopeKind kind, byte[] body) throws Rejection {
        try {
            return switch (kind) {
                case EVENTS_API -> appIds.fromJson(body);
                case SLASH_COMMANDS -> appIds.fromForm(body);
                case INTERACTIVE -> appIds.fromPayloadField(body);
            };
        } catch (IOException e) {
            throw new Rejection(
                    400, MALFORMED, "cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
