package dev.relax.testkit.apps;

import dev.relax.testkit.SlackSignature;
import dev.relax.testkit.TestBroker;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Requests to a broker's Slack endpoints made by hand, in the form Slack gives them: JSON to {@code
 * /slack/events} (https://api.slack.com/apis/events-api), a form to {@code /slack/commands} and {@code
 * /slack/interactive} (https://api.slack.com/interactivity/handling), each with a request timestamp and
 * a signature, Slack's own ({@link SlackSignature}) or any other a test wants to try.
 */
final class SlackRequests {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SlackRequests() {}

    static URI url(TestBroker relax, String path) {
        return url(relax.broker().httpPort(), path);
    }

    static URI url(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** {@code X-Slack-Request-Timestamp} for now: seconds since the epoch. */
    static String now() {
        return Long.toString(System.currentTimeMillis() / 1000);
    }

    /** Posts {@code body} with the timestamp, the signature and any {@code headers} given. */
    static HttpResponse<String> post(
            TestBroker relax, String path, String body, String timestamp, String signature, Map<String, String> headers)
            throws IOException, InterruptedException {
        return post(relax.broker().httpPort(), path, body, timestamp, signature, headers);
    }

    /** Posts {@code body} with the timestamp, the signature and any {@code headers} given. */
    static HttpResponse<String> post(
            int port, String path, String body, String timestamp, String signature, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(port, path))
                .header("Content-Type", contentType(path))
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts {@code body} as Slack would now: timestamped now and signed with {@code secret}. */
    static HttpResponse<String> postSigned(int port, String path, String body, String secret)
            throws IOException, InterruptedException {
        String now = now();
        return post(port, path, body, now, SlackSignature.sign(secret, now, body), Map.of());
    }

    /** {@code fields} as {@code application/x-www-form-urlencoded}, in their order. */
    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String contentType(String path) {
        return path.startsWith("/slack/events") ? "application/json" : "application/x-www-form-urlencoded";
    }
}
