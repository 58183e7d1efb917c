package dev.relax.broker.internal.calls;

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

    static boolean isName(String method) {
        return NAME.matcher(method).matches();
    }
}
