/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relax.core.protocol.AppOAuth;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OAuthPagesTest {
    @Test
    void everyValueIsEscaped() {
        OAuthPages.Page page = OAuthPages.failure(502, "Failed <now>", "Slack said \"<script>x</script>\" & 'no'");

        assertThat(page.status()).isEqualTo(502);
        assertThat(page.html())
                .isEqualTo("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        + "<title>Failed &lt;now&gt;</title>\n</head>\n<body>\n<h1>Failed &lt;now&gt;</h1>\n"
                        + "<p id=\"result\">Slack said &quot;&lt;script&gt;x&lt;/script&gt;&quot; &amp; &#39;no&#39;</p>"
                        + "\n</body>\n</html>\n");
    }

    @Test
    void theButtonLinksToTheAuthorizeUrlEscaped() {
        AppOAuth oauth = AppOAuth.of(
                        "111.222",
                        "shh",
                        List.of("chat:write", "app_mentions:read"),
                        "https://bot.example/slack/oauth_redirect")
                .withUserScopes(List.of("search:read"));

        String url = InstallHandler.authorizeUrl(URI.create("https://slack.com"), oauth, "st-_1");
        OAuthPages.Page page = OAuthPages.addToSlack("A1", url);

        assertThat(url)
                .isEqualTo("https://slack.com/oauth/v2/authorize?client_id=111.222"
                        + "&scope=chat%3Awrite%2Capp_mentions%3Aread&user_scope=search%3Aread"
                        + "&redirect_uri=https%3A%2F%2Fbot.example%2Fslack%2Foauth_redirect&state=st-_1");
        assertThat(page.html())
                .contains("<a id=\"add-to-slack\" href=\"" + url.replace("&", "&amp;") + "\"")
                .doesNotContain("shh")
                .doesNotContain("<script");
    }

    @Test
    void theSuccessPageNamesTheWorkspaceAndLinksIntoSlack() {
        OAuthPages.Page page = OAuthPages.installed("A1", "Acme & Co", "https://slack.com/app_redirect?app=A1&team=T1");

        assertThat(page.html())
                .contains("<p id=\"result\">App <code>A1</code> was installed in <strong>Acme &amp; Co</strong>.</p>")
                .contains("<a id=\"open-slack\" href=\"https://slack.com/app_redirect?app=A1&amp;team=T1\">");
    }

    @Test
    void queriesKeepTheFirstValueDecoded() {
        assertThat(RedirectHandler.query("code=a%2Bb&state=s&state=t&error"))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("code", "a+b", "state", "s", "error", ""));
        assertThat(RedirectHandler.query(null)).isEmpty();
        assertThat(RedirectHandler.query("code=%zz")).containsEntry("code", "");
    }
}
