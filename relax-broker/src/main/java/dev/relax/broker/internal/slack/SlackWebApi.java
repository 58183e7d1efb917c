package dev.relax.broker.internal.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Calls Slack's Web API at {@code <SLACK_HOST>/api/<method>}: a form-encoded POST, the token both as
 * {@code Authorization: Bearer} and as the {@code token} field (the Go broker sends the field; Slack
 * accepts either, https://api.slack.com/web#authentication).
 */
public final class SlackWebApi {
    private final HttpClient http;
    private final URI base;
    private final String apiBase;
    private final Duration timeout;
    private final ObjectMapper json;

    public SlackWebApi(HttpClient http, URI base, Duration timeout, ObjectMapper json) {
        this.http = http;
        this.base = base;
        // $SLACK_HOST/api/<method>, keeping any path SLACK_HOST has (a gateway may serve Slack under one).
        String b = base.toString();
        this.apiBase = (b.endsWith("/") ? b : b + "/") + "api/";
        this.timeout = timeout;
        this.json = json;
    }

    /** What Slack answered. {@code body} is an empty object when the answer was not JSON. */
    public record Response(int status, JsonNode body, Optional<Duration> retryAfter) {
        public boolean ok() {
            return status == 200 && body.path("ok").asBoolean(false);
        }

        /** Slack's {@code error}, or {@code http_<status>} when the HTTP status itself failed. */
        public String error() {
            if (status == 429) {
                return "ratelimited";
            }
            if (status != 200) {
                return "http_" + status;
            }
            return body.path("error").asText("unknown_error");
        }
    }

    /** Calls {@code method}; throws {@link IOException} for network failures. */
    public Response call(String method, Secret token, Map<String, String> params)
            throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder("token=").append(encode(token.reveal()));
        params.forEach((k, v) -> form.append('&').append(encode(k)).append('=').append(encode(v)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + method))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + token.reveal())
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            body = json.createObjectNode();
        }
        if (body == null || !body.isObject()) {
            body = json.createObjectNode();
        }
        Optional<Duration> retryAfter =
                response.headers().firstValue("Retry-After").flatMap(SlackWebApi::seconds);
        return new Response(response.statusCode(), body, retryAfter);
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
