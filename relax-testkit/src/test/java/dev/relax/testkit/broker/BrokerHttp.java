/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import dev.relax.testkit.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a broker's HTTP endpoints in tests. */
final class BrokerHttp {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BrokerHttp() {}

    static HttpResponse<String> get(TestBroker relax, String path) {
        return get(relax.broker().httpPort(), path);
    }

    static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " on port " + port + " failed", e);
        }
    }
}
