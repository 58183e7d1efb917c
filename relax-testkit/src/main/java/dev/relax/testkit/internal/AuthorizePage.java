/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

import dev.relax.core.Secret;
import dev.relax.testkit.OAuthConsent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@code /oauth/v2/authorize} (https://api.slack.com/authentication/oauth-v2#asking): a GET shows a
 * tiny consent page, a form a browser can click and a test can post, with the request in hidden inputs,
 * the workspace ({@code team}, an organization too for apps that allow org-wide installs) and the
 * installing person ({@code user}); its POST either approves ({@code decision=allow}: 302 to the
 * redirect URL with {@code code} and {@code state}) or denies ({@code error=access_denied}). An unknown
 * client id or a redirect URL the app did not register ends on an error page without a redirect, as in
 * Slack, since redirecting there would hand the answer to a stranger.
 */
final class AuthorizePage extends Handler.Abstract {
    private static final String PATH = "/oauth/v2/authorize";
    /** Slack's codes expire 10 minutes after they are issued (https://api.slack.com/authentication/oauth-v2#exchanging). */
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private final SimulatorCore core;

    AuthorizePage(SimulatorCore core) {
        this.core = core;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        Map<String, String> args = new LinkedHashMap<>();
        WebApiHandler.decodeForm(request.getHttpURI().getQuery(), args);
        boolean post = "POST".equals(request.getMethod());
        if (post) {
            WebApiHandler.decodeForm(Content.Source.asString(request, StandardCharsets.UTF_8), args);
        }
        AppState app = core.apps().stream()
                .filter(candidate -> candidate.clientId().equals(args.getOrDefault("client_id", "")))
                .findFirst()
                .orElse(null);
        if (app == null) {
            page(response, callback, 400, "<h1>Something went wrong</h1><p id=\"error\">invalid_client_id</p>");
            return true;
        }
        String redirect = redirectUri(app, args.getOrDefault("redirect_uri", ""));
        if (redirect == null) {
            page(response, callback, 400, "<h1>Something went wrong</h1><p id=\"error\">bad_redirect_uri</p>");
            return true;
        }
        if (!post) {
            page(response, callback, 200, form(app, args));
            return true;
        }
        decide(app, args, redirect, response, callback);
        return true;
    }

    private void decide(AppState app, Map<String, String> args, String redirect, Response response, Callback callback) {
        String state = args.getOrDefault("state", "");
        String scope = args.getOrDefault("scope", "");
        String userScope = args.getOrDefault("user_scope", "");
        String choice = args.getOrDefault("team", "");
        OrgState org = app.orgWideInstall() ? core.org(choice) : null;
        TeamState team = core.team(choice);
        if (org == null && team == null) {
            page(response, callback, 400, "<h1>Something went wrong</h1><p id=\"error\">unknown team</p>");
            return;
        }
        List<TeamState> teams = org != null ? core.teamsOf(org.id()) : List.of(team);
        String user = installer(teams, args.getOrDefault("user", ""));
        String teamId = org != null ? "" : team.id();
        String enterpriseId = org != null ? org.id() : team.enterpriseId();
        boolean allowed = "allow".equals(args.get("decision"));
        String query;
        String code = "";
        if (allowed) {
            PendingCode pending = new PendingCode(
                    teamId,
                    enterpriseId,
                    org != null,
                    user,
                    scope,
                    userScope,
                    args.getOrDefault("redirect_uri", ""),
                    core.ids().now().plus(CODE_LIFETIME),
                    null);
            code = app.newCode(pending);
            query = "code=" + encode(code) + "&state=" + encode(state);
        } else {
            query = "error=access_denied&state=" + encode(state);
        }
        app.record(new OAuthConsent(
                core.ids().now(),
                app.id(),
                teamId,
                enterpriseId,
                user,
                scope,
                userScope,
                redirect,
                state,
                allowed,
                Secret.of(code)));
        response.setStatus(302);
        response.getHeaders().put(HttpHeader.LOCATION, redirect + (redirect.contains("?") ? "&" : "?") + query);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, "", callback);
    }

    /**
     * The redirect URL to use: the one asked for when it is one of the app's redirect URLs or lies below
     * one (https://api.slack.com/authentication/oauth-v2#redirect_urls), the app's first when none is
     * asked for, {@code null} otherwise.
     */
    private static String redirectUri(AppState app, String asked) {
        List<String> registered = app.redirectUrls();
        if (asked.isEmpty()) {
            return registered.isEmpty() ? null : registered.getFirst();
        }
        for (String url : registered) {
            String base = url.endsWith("/") ? url : url + "/";
            if (asked.equals(url) || asked.startsWith(base)) {
                return asked;
            }
        }
        return null;
    }

    /** The person chosen when they belong to the workspaces, else the first person of the first workspace. */
    private static String installer(List<TeamState> teams, String chosen) {
        for (TeamState team : teams) {
            Member member = team.member(chosen);
            if (member != null && !member.isBot()) {
                return member.id();
            }
        }
        return teams.stream()
                .flatMap(team -> team.members().stream())
                .filter(member -> !member.isBot())
                .map(Member::id)
                .findFirst()
                .orElse("");
    }

    private String form(AppState app, Map<String, String> args) {
        String chosen = args.getOrDefault("team", "");
        StringBuilder html = new StringBuilder();
        html.append("<h1>Install ").append(escape(app.id())).append("</h1>\n");
        html.append("<form method=\"post\" action=\"").append(PATH).append("\">\n");
        for (String name : List.of("client_id", "scope", "user_scope", "state")) {
            hidden(html, name, args.getOrDefault(name, ""));
        }
        hidden(html, "redirect_uri", args.getOrDefault("redirect_uri", ""));
        html.append("<p>Scopes: <code id=\"scope\">")
                .append(escape(args.getOrDefault("scope", "")))
                .append("</code></p>\n");
        html.append("<label>Workspace <select name=\"team\" id=\"team\">\n");
        List<TeamState> teams = core.teams().stream()
                .sorted(java.util.Comparator.comparing(TeamState::id))
                .toList();
        for (TeamState team : teams) {
            option(html, team.id(), team.name(), team.id().equals(chosen));
        }
        if (app.orgWideInstall()) {
            core.orgs().stream()
                    .sorted(java.util.Comparator.comparing(OrgState::id))
                    .forEach(org -> option(
                            html,
                            org.id(),
                            org.name() + " (entire organization)",
                            org.id().equals(chosen)));
        }
        html.append("</select></label>\n");
        html.append("<label>Installing as <select name=\"user\" id=\"user\">\n");
        List<TeamState> shown = core.team(chosen) != null
                ? List.of(core.team(chosen))
                : core.org(chosen) != null ? core.teamsOf(chosen) : teams;
        for (TeamState team : shown) {
            team.members().stream()
                    .filter(member -> !member.isBot())
                    .forEach(member -> option(html, member.id(), member.name() + " (" + team.name() + ")", false));
        }
        html.append("</select></label>\n");
        html.append("<button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow\">Allow</button>\n");
        html.append("<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Cancel</button>\n");
        html.append("</form>");
        return html.toString();
    }

    private static void hidden(StringBuilder html, String name, String value) {
        html.append("<input type=\"hidden\" name=\"")
                .append(name)
                .append("\" value=\"")
                .append(escape(value))
                .append("\">\n");
    }

    private static void option(StringBuilder html, String value, String label, boolean selected) {
        html.append("<option value=\"")
                .append(escape(value))
                .append(selected ? "\" selected>" : "\">")
                .append(escape(label))
                .append("</option>\n");
    }

    private static void page(Response response, Callback callback, int status, String body) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Slack</title></head>"
                + "<body>\n" + body + "\n</body></html>\n";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, html, callback);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
