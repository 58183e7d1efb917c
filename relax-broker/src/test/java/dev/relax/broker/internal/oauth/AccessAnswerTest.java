/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relax.core.protocol.Installation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Answers shaped as https://docs.slack.dev/reference/methods/oauth.v2.access documents them. */
class AccessAnswerTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void aWorkspaceInstallWithAUserTokenAndRotation() throws Exception {
        JsonNode body = json("{'ok':true,'access_token':'xoxe.xoxb-1-b','token_type':'bot','scope':'chat:write',"
                + "'bot_user_id':'UBOT','app_id':'A1','team':{'name':'Acme','id':'T1'},"
                + "'enterprise':{'name':'Starship','id':'E1'},'is_enterprise_install':false,"
                + "'refresh_token':'xoxe-1-r','expires_in':43200,"
                + "'authed_user':{'id':'U1','scope':'search:read','access_token':'xoxe.xoxp-1-u','token_type':'user',"
                + "'refresh_token':'xoxe-1-ur','expires_in':600}}");

        Installation i = AccessAnswer.installation("A1", body, NOW);

        assertThat(i.hashField()).isEqualTo("A1:T1");
        assertThat(i.teamId()).isEqualTo("T1");
        assertThat(i.enterpriseId()).isEqualTo("E1");
        assertThat(i.enterpriseInstall()).isFalse();
        assertThat(i.botUserId()).isEqualTo("UBOT");
        assertThat(i.botToken().reveal()).isEqualTo("xoxe.xoxb-1-b");
        assertThat(i.botScopes()).isEqualTo("chat:write");
        assertThat(i.installerUserId()).isEqualTo("U1");
        assertThat(i.userToken().reveal()).isEqualTo("xoxe.xoxp-1-u");
        assertThat(i.userScopes()).isEqualTo("search:read");
        assertThat(i.botRefreshToken().reveal()).isEqualTo("xoxe-1-r");
        assertThat(i.botTokenExpiresAt()).isEqualTo(Instant.parse("2026-01-02T15:04:05Z"));
        assertThat(i.userRefreshToken().reveal()).isEqualTo("xoxe-1-ur");
        assertThat(i.userTokenExpiresAt()).isEqualTo(Instant.parse("2026-01-02T03:14:05Z"));
        assertThat(AccessAnswer.where(body)).isEqualTo("Acme");
    }

    @Test
    void anOrgWideInstallBelongsToTheOrganization() throws Exception {
        JsonNode body = json("{'ok':true,'access_token':'xoxb-1','token_type':'bot','scope':'chat:write',"
                + "'bot_user_id':'UBOT','app_id':'A1','team':null,'enterprise':{'name':'Starship','id':'E1'},"
                + "'is_enterprise_install':true,'authed_user':{'id':'W1'}}");

        Installation i = AccessAnswer.installation("A1", body, NOW);

        assertThat(i.hashField()).isEqualTo("A1:E1");
        assertThat(i.teamId()).isEmpty();
        assertThat(i.enterpriseInstall()).isTrue();
        assertThat(i.userToken().isEmpty()).isTrue();
        assertThat(i.rotatesBotToken()).isFalse();
        assertThat(i.botTokenExpiresAt()).isNull();
        assertThat(AccessAnswer.where(body)).isEqualTo("Starship");
    }
}
