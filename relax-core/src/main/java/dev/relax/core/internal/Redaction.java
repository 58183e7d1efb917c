package dev.relax.core.internal;

import java.util.regex.Pattern;

/** Masks secrets in text that is about to go into a log line or an exception message. */
public final class Redaction {
    /** Slack tokens: bot, user, app-level, refresh and config tokens. */
    private static final Pattern SLACK_TOKEN = Pattern.compile("\\b(xox[abposre]|xapp|xoxe\\.xox[bp])-[A-Za-z0-9-]+");

    /** JSON fields that hold secrets, whatever their value looks like. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(\"(?:token|bot_token|app_token|access_token|refresh_token|signing_secret|client_secret|password)\"\\s*:\\s*\")"
                    + "((?:[^\"\\\\]|\\\\.)*)(\"?)");

    /** Passwords in URLs of any scheme: {@code redis://:secret@host}, {@code http://user:secret@host}. */
    private static final Pattern URI_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*:)[^@\\s]*@");

    /** One-time credentials in websocket URLs, such as the {@code ticket} of an RTM or Socket Mode URL. */
    private static final Pattern URL_TICKET = Pattern.compile("([?&](?:ticket|token)=)[^&\\s\"]+");

    private Redaction() {}

    /** {@code text} with every secret it recognises replaced by {@code ****}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = SECRET_FIELD.matcher(text).replaceAll("$1****$3");
        out = SLACK_TOKEN.matcher(out).replaceAll("$1-****");
        out = URL_TICKET.matcher(out).replaceAll("$1****");
        return URI_PASSWORD.matcher(out).replaceAll("$1****@");
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
