/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Redis server Relax needs: 6.2 or newer, for {@code BLMOVE} and {@code LMOVE} (consumers) and
 * {@code XAUTOCLAIM} (the broker's calls stream), all new in 6.2
 * (https://redis.io/docs/latest/commands/blmove/, https://redis.io/docs/latest/commands/xautoclaim/).
 * Checked from the server's {@code INFO server} when a connection is made, so that an older server is
 * refused at once with a message that says why, rather than failing later in a loop.
 */
public final class RedisRequirement {
    /** The oldest Redis Relax runs on. */
    public static final String MINIMUM = "6.2";

    private static final int MAJOR = 6;
    private static final int MINOR = 2;
    private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:(\\d+)\\.(\\d+)(\\S*)");

    private RedisRequirement() {}

    /**
     * What is wrong with the server whose {@code INFO server} is {@code info}, or empty when it is new
     * enough (or does not say its version: servers that speak the protocol without the name are not refused).
     *
     * @param who what needs it, such as "the Relax broker"
     * @param needs the commands {@code who} uses that older servers lack
     * @param address where the server is, already redacted, or null
     */
    public static Optional<String> problem(String info, String who, String needs, String address) {
        Matcher m = VERSION.matcher(info == null ? "" : info);
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major > MAJOR || major == MAJOR && minor >= MINOR) {
            return Optional.empty();
        }
        String version = m.group(1) + "." + m.group(2) + m.group(3);
        return Optional.of("Redis" + (address == null ? "" : " at " + address) + " is version " + version + "; " + who
                + " needs Redis " + MINIMUM + " or newer (" + needs + ")");
    }

    /**
     * Whether Redis's error reply to {@code INFO} means the command is not to be had here (the user may not
     * run it, or a proxy does not offer it), so that the version stays unknown, rather than a passing state
     * ({@code LOADING}, {@code BUSY}, {@code MASTERDOWN} right after a failover) worth a retry.
     */
    public static boolean infoRefused(String errorReply) {
        String e = errorReply == null ? "" : errorReply;
        return e.startsWith("NOPERM") || e.startsWith("ERR unknown command") || e.startsWith("ERR unknown subcommand");
    }
}
