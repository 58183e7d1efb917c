/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import dev.relax.core.internal.Redaction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where Redis is: one server, a primary found through Redis Sentinel, or a Redis Cluster; with optional
 * user and password, database and TLS. Parsed from the Go broker's {@code redis://[:password@]host:port[/db]}
 * ({@code rediss://} for TLS), from Lettuce's Sentinel form {@code
 * redis-sentinel://[:password@]host:port[,host:port...][/db]#primaryName}, or from {@code REDIS_HOST}
 * ({@code host:port}) and {@code REDIS_PASSWORD}; {@link #asCluster()} reads the same address as the seed
 * nodes of a cluster. A bare user information ({@code redis://secret@host}) is the password, as Lettuce reads
 * it. The password never appears in {@link #toString()} nor in an error message, whatever shape the URL has
 * (the whole user information of a refused URL is masked).
 *
 * @param mode how the nodes are used
 * @param nodes the server ({@link Mode#STANDALONE}), the Sentinels ({@link Mode#SENTINEL}) or the cluster's
 *     seed nodes ({@link Mode#CLUSTER}); at least one
 * @param sentinelPrimary the name the Sentinels monitor the primary under ({@code SENTINEL} only, else "")
 */
public record RedisAddress(
        Mode mode,
        List<Node> nodes,
        String sentinelPrimary,
        String username,
        Secret password,
        int database,
        boolean tls) {
    public static final int DEFAULT_PORT = 6379;
    /** The port Sentinels listen on by default. */
    public static final int DEFAULT_SENTINEL_PORT = 26379;
    /** How long a Redis command of the broker or of {@code RelaxClient} may take: see {@link #toClientUrl()}. */
    static final java.time.Duration COMMAND_TIMEOUT = java.time.Duration.ofSeconds(10);

    private static final String EXPECTED =
            "expected redis://[:password@]host:port[/db] or redis-sentinel://[:password@]host:port[,host:port]"
                    + "[/db]#primaryName";

    /** How Relax finds the Redis server that takes its writes. */
    public enum Mode {
        /** One server (or a managed endpoint that fails over behind one address). */
        STANDALONE,
        /** The primary that the Sentinels name, followed across failovers. */
        SENTINEL,
        /** A Redis Cluster, discovered from its seed nodes; every Relax key set shares one hash slot. */
        CLUSTER
    }

    /** One {@code host:port}. */
    public record Node(String host, int port) {
        public Node {
            if (host == null || host.isBlank()) {
                throw RelaxException.badSetting("Redis host", "must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw RelaxException.badSetting("Redis port", "must be 1..65535, was " + port);
            }
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public RedisAddress {
        Objects.requireNonNull(mode, "mode");
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        if (nodes.isEmpty()) {
            throw RelaxException.badSetting("Redis address", "names no host");
        }
        if (mode == Mode.STANDALONE && nodes.size() > 1) {
            throw RelaxException.badSetting(
                    "Redis address",
                    "names " + nodes.size() + " hosts; several hosts are Sentinels (redis-sentinel://) or the seed"
                            + " nodes of a cluster");
        }
        sentinelPrimary = sentinelPrimary == null ? "" : sentinelPrimary;
        if (mode == Mode.SENTINEL && sentinelPrimary.isBlank()) {
            throw RelaxException.badSetting(
                    "Redis Sentinel address", "names no primary; add #primaryName (the name the Sentinels monitor)");
        }
        if (mode != Mode.SENTINEL && !sentinelPrimary.isEmpty()) {
            throw RelaxException.badSetting("Redis address", "names a Sentinel primary but is not a Sentinel address");
        }
        if (database < 0) {
            throw RelaxException.badSetting("Redis database", "must be 0 or more, was " + database);
        }
        if (mode == Mode.CLUSTER && database != 0) {
            throw RelaxException.badSetting(
                    "Redis Cluster address", "names database " + database + "; a cluster has only database 0");
        }
        username = username == null ? "" : username;
        password = password == null ? Secret.of("") : password;
    }

    /** One server. */
    public RedisAddress(String host, int port, String username, Secret password, int database, boolean tls) {
        this(Mode.STANDALONE, List.of(new Node(host, port)), "", username, password, database, tls);
    }

    /** Redis on {@code host:port}, no password, database 0, no TLS. */
    public static RedisAddress of(String host, int port) {
        return new RedisAddress(host, port, "", Secret.of(""), 0, false);
    }

    /** The primary named {@code primary} by the Sentinels at {@code sentinels}; no password, database 0. */
    public static RedisAddress sentinel(List<Node> sentinels, String primary) {
        return new RedisAddress(Mode.SENTINEL, sentinels, primary, "", Secret.of(""), 0, false);
    }

    /** The cluster whose seed nodes are {@code seeds}; no password. */
    public static RedisAddress cluster(List<Node> seeds) {
        return new RedisAddress(Mode.CLUSTER, seeds, "", "", Secret.of(""), 0, false);
    }

    /** The first node's host: the server, the first Sentinel or the first seed node. */
    public String host() {
        return nodes.get(0).host();
    }

    /** The first node's port. */
    public int port() {
        return nodes.get(0).port();
    }

    /** This address's nodes read as the seed nodes of a Redis Cluster. */
    public RedisAddress asCluster() {
        if (mode == Mode.SENTINEL) {
            throw RelaxException.badSetting(
                    "Redis address",
                    "is a Sentinel address; a cluster is reached through"
                            + " its own nodes (redis://host:port[,host:port])");
        }
        return new RedisAddress(Mode.CLUSTER, nodes, "", username, password, database, tls);
    }

    /** This address with {@code password} (Sentinel and cluster addresses from separate variables). */
    public RedisAddress withPassword(Secret password) {
        return new RedisAddress(mode, nodes, sentinelPrimary, username, password, database, tls);
    }

    /**
     * Parses a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URL. {@code setting} names
     * where it came from (an environment variable) for the error message, which never shows the password.
     * A {@code redis://} URL that lists several {@code host:port}, separated by commas, names the seed
     * nodes of a cluster.
     */
    public static RedisAddress parseUrl(String url, String setting) {
        Objects.requireNonNull(setting, "setting");
        if (url == null || url.isBlank()) {
            throw RelaxException.badSetting(setting, "is empty; " + EXPECTED);
        }
        String value = url.trim();
        int schemeEnd = value.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : value.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        Mode mode;
        boolean tls = false;
        switch (scheme) {
            case "redis" -> mode = Mode.STANDALONE;
            case "rediss" -> {
                mode = Mode.STANDALONE;
                tls = true;
            }
            case "redis-sentinel" -> mode = Mode.SENTINEL;
            default ->
                throw RelaxException.badSetting(
                        setting,
                        "must start with redis://, rediss:// or" + " redis-sentinel://, was "
                                + Redaction.redactUrl(value));
        }
        String rest = value.substring(schemeEnd + 3);
        String primary = "";
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            primary = decode(rest.substring(hash + 1));
            rest = rest.substring(0, hash);
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            // As the Go broker: parameters (a provider's ?ssl_cert_reqs=...) are not read.
            rest = rest.substring(0, query);
        }
        if (rest.chars().anyMatch(Character::isWhitespace)) {
            throw RelaxException.badSetting(
                    setting, "is not a valid URL (" + Redaction.redactUrl(value) + "); " + EXPECTED);
        }
        int database = 0;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            // As in any URL, the authority ends at the first slash: a raw '/' in a password must be %2F.
            String path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!path.isEmpty()) {
                try {
                    database = Integer.parseInt(path);
                } catch (NumberFormatException e) {
                    throw RelaxException.badSetting(
                            setting, "has a database path that is not a number: " + Redaction.redactUrl(value));
                }
            }
        }
        String user = "";
        String password = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                // redis://secret@host: a bare userinfo is the password, as Redis clients read it.
                password = decode(userInfo);
            } else {
                user = decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
        }
        int defaultPort = mode == Mode.SENTINEL ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
        List<Node> nodes = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            try {
                nodes.add(node(part.trim(), defaultPort));
            } catch (RelaxException e) {
                throw RelaxException.badSetting(
                        setting, "has a bad host:port (" + e.getMessage() + "): " + Redaction.redactUrl(value));
            }
        }
        if (mode == Mode.SENTINEL && primary.isBlank()) {
            throw RelaxException.badSetting(
                    setting,
                    "names no primary; add #primaryName (the name the Sentinels" + " monitor): "
                            + Redaction.redactUrl(value));
        }
        if (mode != Mode.SENTINEL && !primary.isEmpty()) {
            throw RelaxException.badSetting(
                    setting, "has a #fragment, which only redis-sentinel:// URLs have: " + Redaction.redactUrl(value));
        }
        if (mode == Mode.STANDALONE && nodes.size() > 1) {
            // One server has one address: several are the seed nodes of a cluster.
            mode = Mode.CLUSTER;
        }
        try {
            return new RedisAddress(mode, nodes, primary, user, Secret.of(password), database, tls);
        } catch (RelaxException e) {
            throw RelaxException.badSetting(setting, e.getMessage() + ": " + Redaction.redactUrl(value));
        }
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
        List<Node> nodes = parseNodes(value, DEFAULT_PORT, setting);
        // Several hosts are the seed nodes of a cluster, as in a redis:// URL.
        return new RedisAddress(nodes.size() == 1 ? Mode.STANDALONE : Mode.CLUSTER, nodes, "", "", password, 0, false);
    }

    /**
     * Parses a comma-separated list of {@code host:port} ({@code defaultPort} when a port is absent), as in
     * {@code REDIS_SENTINELS}.
     */
    public static List<Node> parseNodes(String list, int defaultPort, String setting) {
        if (list == null || list.isBlank()) {
            throw RelaxException.badSetting(setting, "is empty; expected host:port[,host:port]");
        }
        List<Node> nodes = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            try {
                nodes.add(node(part.trim(), defaultPort));
            } catch (RelaxException e) {
                throw RelaxException.badSetting(setting, "has a bad host:port (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(nodes);
    }

    private static Node node(String hostPort, int defaultPort) {
        if (hostPort.isEmpty()) {
            throw RelaxException.badSetting("host", "is empty");
        }
        String host = hostPort;
        int port = defaultPort;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && hostPort.indexOf(']') < colon) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw RelaxException.badSetting("port", "is not a number: " + hostPort);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port < 1 || port > 65535) {
            throw RelaxException.badSetting("port", "is outside 1..65535: " + hostPort);
        }
        return new Node(host, port);
    }

    /**
     * The address as a URL, with the password in it: for Redis clients only, never for logs. A cluster's
     * URL lists its seed nodes, comma-separated ({@link #parseUrl} reads it back).
     */
    public String toUrlWithPassword() {
        StringBuilder url =
                new StringBuilder(mode == Mode.SENTINEL ? "redis-sentinel://" : tls ? "rediss://" : "redis://");
        if (!password.isEmpty()) {
            url.append(encode(username))
                    .append(':')
                    .append(encode(password.reveal()))
                    .append('@');
        }
        appendNodes(url);
        if (database != 0) {
            url.append('/').append(database);
        }
        if (mode == Mode.SENTINEL) {
            url.append('#').append(encode(sentinelPrimary));
        }
        return url.toString();
    }

    /**
     * The URL Relax's Redis clients connect with, in Lettuce's syntax: {@link #toUrlWithPassword()} with the
     * command timeout that the broker and {@code RelaxClient} share ({@code ?timeout=10s}). For a cluster,
     * see {@link #toClusterSeedUrls()}. For Redis clients only, never for logs.
     */
    public String toClientUrl() {
        if (mode == Mode.CLUSTER) {
            throw new IllegalStateException("a cluster has one URL per seed node: toClusterSeedUrls()");
        }
        String url = toUrlWithPassword();
        String timeout = "?timeout=" + COMMAND_TIMEOUT.toSeconds() + "s";
        int hash = url.indexOf('#');
        return hash < 0 ? url + timeout : url.substring(0, hash) + timeout + url.substring(hash);
    }

    /** One Lettuce URL per seed node of a cluster, each with the command timeout. Never for logs. */
    public List<String> toClusterSeedUrls() {
        List<String> urls = new ArrayList<>();
        for (Node n : nodes) {
            urls.add(new RedisAddress(n.host(), n.port(), username, password, 0, tls).toClientUrl());
        }
        return List.copyOf(urls);
    }

    @Override
    public String toString() {
        StringBuilder s =
                new StringBuilder(mode == Mode.SENTINEL ? "redis-sentinel://" : tls ? "rediss://" : "redis://");
        if (!password.isEmpty()) {
            s.append(username).append(":****@");
        }
        appendNodes(s);
        if (database != 0) {
            s.append('/').append(database);
        }
        if (mode == Mode.SENTINEL) {
            s.append('#').append(sentinelPrimary);
        }
        return mode == Mode.CLUSTER ? s + " (cluster)" : s.toString();
    }

    private void appendNodes(StringBuilder s) {
        for (int i = 0; i < nodes.size(); i++) {
            s.append(i == 0 ? "" : ",").append(nodes.get(i));
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
