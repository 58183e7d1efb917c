/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.Secret;
import dev.relax.testkit.ApiCall;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@code /api/<method>}: reads the arguments from the query, a form body or a JSON body, records
 * the call, and writes the JSON answer. Slack takes the token from {@code Authorization: Bearer} or a
 * {@code token} argument, but never from a JSON body (https://api.slack.com/web#posting_json).
 */
public final class WebApiHandler extends Handler.Abstract {
    private static final String PREFIX = "/api/";

    private final WebApi api;
    private final Recorder recorder;
    private final Ids ids;
    private final Faults faults;

    public WebApiHandler(WebApi api, Recorder recorder, Ids ids, Faults faults) {
        this.api = api;
        this.recorder = recorder;
        this.ids = ids;
        this.faults = faults;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
            Response.writeError(request, response, callback, 404);
            return true;
        }
        ApiRequest call = read(request, path.substring(PREFIX.length()));
        ApiResponse answer = api.handle(call);
        recorder.apiCall(new ApiCall(
                ids.now(), call.method(), Secret.of(call.token()), call.args(), answer.status(), answer.error()));
        // Done and recorded, not yet answered: a client cut off now cannot know the call's outcome.
        try {
            Thread.sleep(faults.answerDelay(call.method()).toMillis());
        } catch (InterruptedException e) {
            // The client went away (Jetty interrupts the handler): there is nobody left to answer.
            callback.failed(e);
            return true;
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        if (answer.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
        }
        Content.Sink.write(response, true, answer.body(), callback);
        return true;
    }

    private static ApiRequest read(Request request, String method) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        decodeForm(request.getHttpURI().getQuery(), args);
        String token = orEmpty(args.remove("token"));
        String contentType =
                orEmpty(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        boolean malformed = false;
        if (contentType.startsWith("application/json")) {
            JsonNode json = Json.parse(body);
            malformed = !body.isBlank() && (json == null || !json.isObject());
            if (json != null && json.isObject()) {
                json.properties().forEach(field -> args.put(field.getKey(), Json.text(json, field.getKey())));
            }
            args.remove("token");
        } else {
            decodeForm(body, args);
            String formToken = args.remove("token");
            if (formToken != null) {
                token = formToken;
            }
        }
        String authorization = orEmpty(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        String basicUser = "";
        String basicPassword = "";
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = decodeBase64(authorization.substring(6).trim());
            int colon = decoded.indexOf(':');
            basicUser = colon < 0 ? decoded : decoded.substring(0, colon);
            basicPassword = colon < 0 ? "" : decoded.substring(colon + 1);
        }
        return new ApiRequest(method, args, token, basicUser, basicPassword, malformed);
    }

    static void decodeForm(String form, Map<String, String> into) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.put(name, value);
        }
    }

    private static String decodeBase64(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
