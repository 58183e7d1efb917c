/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.calls;

import java.util.Set;
import java.util.regex.Pattern;

/** What the calls stream must know of a Slack Web API method from its name alone. */
final class SlackMethods {
    private SlackMethods() {}

    /**
     * Slack's method names are words of ASCII letters and digits joined by dots: {@code chat.postMessage},
     * {@code oauth.v2.access}, {@code admin.conversations.setTeams} (https://api.slack.com/methods). Nothing
     * else may become part of the URL {@code <slack>/api/<method>}: no slash, query, space or fragment.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9]+)+");

    /**
     * Writes after which Slack is in the same state however often they are made, each per its page under
     * https://api.slack.com/methods/: {@code chat.update} and {@code views.update} replace the message's or
     * view's content with the one given; {@code views.publish} sets a user's Home tab; {@code
     * conversations.setTopic} and {@code setPurpose} set a value; {@code chat.delete} answers {@code
     * message_not_found} the second time, {@code reactions.add} {@code already_reacted}, {@code
     * reactions.remove} {@code no_reaction}, {@code pins.add} {@code already_pinned}, {@code pins.remove}
     * {@code no_pin}, {@code conversations.join} succeeds with the warning {@code already_in_channel}.
     * Not here: {@code chat.postMessage}, {@code chat.postEphemeral}, {@code chat.scheduleMessage} (each call
     * posts another message), {@code chat.appendStream} (appends again), {@code views.open} (its trigger
     * id is good once).
     */
    private static final Set<String> IDEMPOTENT = Set.of(
            "chat.update",
            "chat.delete",
            "views.update",
            "views.publish",
            "reactions.add",
            "reactions.remove",
            "pins.add",
            "pins.remove",
            "conversations.join",
            "conversations.setTopic",
            "conversations.setPurpose");

    /** Last words of methods that only read ({@code conversations.info}, {@code users.list}, {@code auth.test}). */
    private static final Set<String> READS = Set.of("info", "list", "history", "replies", "members", "test");

    static boolean isName(String method) {
        return NAME.matcher(method).matches();
    }

    /**
     * Whether making {@code method} again, when an earlier attempt may or may not have reached Slack, is
     * harmless: it only reads ({@code *.info}, {@code *.list}, {@code *.history}, {@code *.replies}, {@code
     * *.members}, {@code *.test}, {@code *.get...}, {@code *.lookup...}) or it is idempotent by nature.
     */
    static boolean safeToRepeat(String method) {
        if (IDEMPOTENT.contains(method)) {
            return true;
        }
        String last = method.substring(method.lastIndexOf('.') + 1);
        return READS.contains(last) || last.startsWith("get") || last.startsWith("lookup");
    }
}
