/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks secrets in text that is about to go into a log line or an exception message. */
public final class Redaction {
    /** Slack tokens: bot, user, app-level, refresh and config tokens. */
    private static final Pattern SLACK_TOKEN = Pattern.compile("\\b(xox[abposre]|xapp|xoxe\\.xox[bp])-[A-Za-z0-9-]+");

    private static final String SECRET_NAMES =
            "token|bot_token|app_token|access_token|refresh_token|signing_secret|client_secret|password";

    /**
     * Fields that hold secrets, whatever their value looks like, also in documents that are not valid JSON
     * (the ones whose error messages show them): the name in double or single quotes, or bare after
     * {@code {} or a comma; the value quoted (possibly unterminated), an object or array (not nested), or
     * bare up to the next separator.
     */
    private static final Pattern SECRET_FIELD = Pattern.compile("((?:\"(?:" + SECRET_NAMES + ")\"|'(?:" + SECRET_NAMES
            + ")'|(?<=[{,]\\s{0,16})(?:" + SECRET_NAMES + "))\\s*:\\s*)"
            + "(\"(?:[^\"\\\\]|\\\\.)*\"?|'[^']*'?|\\{[^}]*\\}?|\\[[^\\]]*\\]?|[^\\s,}\\]]+)");

    /**
     * The user information of URLs of any scheme, whatever it holds: {@code redis://:secret@host},
     * {@code redis://secret@host} (a bare userinfo is the password to Redis clients), {@code
     * https://user:secret@host}. Up to the last {@code @} before white space, so that a password with a raw
     * {@code @} or {@code /} in it (not a valid URL, hence in an error message) is masked whole.
     */
    private static final Pattern URI_USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)\\S*@");

    /**
     * Header values that a library quotes in its error messages (the JDK's HTTP client: {@code invalid header
     * value for Authorization: "Bearer xoxb-..."}, whatever the value holds, control characters included),
     * and credentials after an authentication scheme word.
     */
    private static final Pattern HEADER_VALUE =
            Pattern.compile("(invalid header value(?: for [^:\"]{1,64})?: )\"(?:[^\"\\\\]|\\\\.)*\"?");

    private static final Pattern AUTH_SCHEME = Pattern.compile("\\b(Bearer|Basic) [A-Za-z0-9._~+/=-]+");

    /** One-time credentials in websocket URLs, such as the {@code ticket} of an RTM or Socket Mode URL. */
    private static final Pattern URL_TICKET = Pattern.compile("([?&](?:ticket|token)=)[^&\\s\"]+");

    private Redaction() {}

    /**
     * {@code t} fit for a log line with its stack trace: a copy whose messages (its own and its causes')
     * are {@link #redact redacted}, each naming the original class, with the original stack traces. A
     * library's exception may quote what it was given (a header value, a URL), so the raw throwable
     * never goes to a logger.
     */
    public static Throwable redacted(Throwable t) {
        return redacted(t, 0);
    }

    private static Throwable redacted(Throwable t, int depth) {
        if (t == null) {
            return null;
        }
        RedactedException copy = new RedactedException(redact(t.toString()));
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t && depth < 16) {
            copy.initCause(redacted(t.getCause(), depth + 1));
        }
        return copy;
    }

    /** A redacted copy of a throwable: its message is the original's class and redacted message. */
    public static final class RedactedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedactedException(String originalToString) {
            super(originalToString);
        }
    }

    /** {@code text} with every secret it recognises replaced by {@code ****}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out =
                SECRET_FIELD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + mask(m.group(2))));
        out = HEADER_VALUE.matcher(out).replaceAll("$1\"****\"");
        out = AUTH_SCHEME.matcher(out).replaceAll("$1 ****");
        out = SLACK_TOKEN.matcher(out).replaceAll("$1-****");
        out = URL_TICKET.matcher(out).replaceAll("$1****");
        return URI_USERINFO.matcher(out).replaceAll("$1****@");
    }

    /**
     * {@code url} with everything between its scheme (or its start) and its last {@code @} masked: for
     * echoing a URL that is about to be refused, which may be malformed in any way.
     */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int from = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        String out = at >= from ? url.substring(0, from) + "****" + url.substring(at) : url;
        return redact(out);
    }

    /** A secret value masked, keeping the quotes or brackets that show its shape. */
    private static String mask(String value) {
        char first = value.charAt(0);
        char close =
                switch (first) {
                    case '"', '\'' -> first;
                    case '{' -> '}';
                    case '[' -> ']';
                    default -> 0;
                };
        if (close == 0) {
            return "****";
        }
        boolean closed = value.length() > 1 && value.charAt(value.length() - 1) == close;
        return first + "****" + (closed ? String.valueOf(close) : "");
    }

    /**
     * A short, single-line, redacted excerpt of {@code input} around {@code offset}, for error messages
     * that must show where a document went wrong.
     */
    public static String excerpt(String input, long offset, int width) {
        if (input == null) {
            return "(null)";
        }
        String safe = redact(input);
        int at = (int) Math.max(0, Math.min(offset, safe.length()));
        int from = Math.max(0, at - width / 2);
        int to = Math.min(safe.length(), from + width);
        StringBuilder out = new StringBuilder(to - from + 8);
        if (from > 0) {
            out.append('…');
        }
        for (int i = from; i < to; i++) {
            char c = safe.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (to < safe.length()) {
            out.append('…');
        }
        return out.toString();
    }
}
