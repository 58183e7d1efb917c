/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import dev.relax.core.internal.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where Redis is: host, port, optional user and password, database and TLS. Parsed from the Go broker's
 * {@code redis://[:password@]host:port[/db]} ({@code rediss://} for TLS) or from {@code REDIS_HOST}
 * ({@code host:port}) and {@code REDIS_PASSWORD}. A bare user information ({@code redis://secret@host}) is
 * the password, as Lettuce reads it. The password never appears in {@link #toString()} nor in an error
 * message, whatever shape the URL has (the whole user information of a refused URL is masked).
 */
public record RedisAddress(String host, int port, String username, Secret password, int database, boolean tls) {
    public static final int DEFAULT_PORT = 6379;
    /** How long a Redis command of the broker or of {@code RelaxClient} may take: see {@link #toClientUrl()}. */
    static final java.time.Duration COMMAND_TIMEOUT = java.time.Duration.ofSeconds(10);

    public RedisAddress {
        if (host == null || host.isBlank()) {
            throw RelaxException.badSetting("Redis host", "must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw RelaxException.badSetting("Redis port", "must be 1..65535, was " + port);
        }
        if (database < 0) {
            throw RelaxException.badSetting("Redis database", "must be 0 or more, was " + database);
        }
        username = username == null ? "" : username;
        password = password == null ? Secret.of("") : password;
    }

    /** Redis on {@code host:port}, no password, database 0, no TLS. */
    public static RedisAddress of(String host, int port) {
        return new RedisAddress(host, port, "", Secret.of(""), 0, false);
    }

    /**
     * Parses a {@code redis://} or {@code rediss://} URL. {@code setting} names where it came from (an
     * environment variable) for the error message, which never shows the password.
     */
    public static RedisAddress parseUrl(String url, String setting) {
        Objects.requireNonNull(setting, "setting");
        if (url == null || url.isBlank()) {
            throw RelaxException.badSetting(setting, "is empty; expected redis://[:password@]host:port[/db]");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw RelaxException.badSetting(
                    setting,
                    "is not a valid URL (" + Redaction.redactUrl(url)
                            + "); expected redis://[:password@]host:port[/db]");
        }
        String scheme = uri.getScheme();
        if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
            throw RelaxException.badSetting(
                    setting, "must start with redis:// or rediss://, was " + Redaction.redactUrl(url));
        }
        if (uri.getHost() == null) {
            throw RelaxException.badSetting(setting, "has no host: " + Redaction.redactUrl(url));
        }
        String user = "";
        String password = "";
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                // redis://secret@host: a bare userinfo is the password, as Redis clients read it.
                password = decode(userInfo);
            } else {
                user = decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw RelaxException.badSetting(
                        setting, "has a database path that is not a number: " + Redaction.redactUrl(url));
            }
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return new RedisAddress(
                uri.getHost(), port, user, Secret.of(password), database, "rediss".equalsIgnoreCase(scheme));
    }

    /** Parses the Go broker's {@code REDIS_HOST} form, {@code host:port} (port 6379 when absent). */
    public static RedisAddress parseHostPort(String hostPort, Secret password, String setting) {
        if (hostPort == null || hostPort.isBlank()) {
            throw RelaxException.badSetting(setting, "is empty; expected host:port");
        }
        String value = hostPort.trim();
        if (value.contains("@") || value.contains("/")) {
            // Not echoed: it holds credentials or a URL, whose password this message must not print.
            throw RelaxException.badSetting(
                    setting, "must be host:port; a redis:// URL belongs in REDIS_URL, a password in REDIS_PASSWORD");
        }
        int colon = value.lastIndexOf(':');
        String host = value;
        int port = DEFAULT_PORT;
        if (colon >= 0 && value.indexOf(']') < colon) {
            host = value.substring(0, colon);
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw RelaxException.badSetting(setting, "has a port that is not a number: " + value);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port < 1 || port > 65535) {
            throw RelaxException.badSetting(setting, "has a port outside 1..65535: " + value);
        }
        return new RedisAddress(host, port, "", password, 0, false);
    }

    /** The address as a URL, with the password in it: for Redis clients only, never for logs. */
    public String toUrlWithPassword() {
        StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
        if (!password.isEmpty()) {
            url.append(encode(username))
                    .append(':')
                    .append(encode(password.reveal()))
                    .append('@');
        }
        url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port);
        if (database != 0) {
            url.append('/').append(database);
        }
        return url.toString();
    }

    /**
     * The URL Relax's Redis clients connect with: {@link #toUrlWithPassword()} with the command timeout
     * that the broker and {@code RelaxClient} share ({@code ?timeout=10s}, which Lettuce reads). For Redis
     * clients only, never for logs.
     */
    public String toClientUrl() {
        return toUrlWithPassword() + "?timeout=" + COMMAND_TIMEOUT.toSeconds() + "s";
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://")
                + (password.isEmpty() ? "" : (username.isEmpty() ? "" : username) + ":****@")
                + host + ":" + port + (database == 0 ? "" : "/" + database);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
