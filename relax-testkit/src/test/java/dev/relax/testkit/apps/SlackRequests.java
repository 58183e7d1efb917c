/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.apps;

import dev.relax.testkit.SlackSignature;
import dev.relax.testkit.TestBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
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

    /**
     * Sends only the headers of a signed POST that declares {@code contentLength} bytes of body, and returns
     * the status code of the answer, which the broker must give without waiting for the body. Sending the
     * body of an oversized request instead would race the broker closing the connection: the client may
     * then see the reset and not the answer (RFC 9112, section 9.6), whatever the broker did.
     */
    static int statusOfHeadersOnly(
            TestBroker relax, String path, long contentLength, String timestamp, String signature) throws IOException {
        try (Socket socket =
                new Socket(InetAddress.getLoopbackAddress(), relax.broker().httpPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST " + path + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Content-Type: " + contentType(path) + "\r\n"
                    + "Content-Length: " + contentLength + "\r\n"
                    + "X-Slack-Request-Timestamp: " + timestamp + "\r\n"
                    + "X-Slack-Signature: " + signature + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            if (statusLine == null) {
                throw new IOException("the broker closed the connection without an answer");
            }
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
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
