/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class UninstallsTest {
    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void appUninstalledEndsTheWorkspacesInstallation() throws Exception {
        assertThat(Uninstalls.endedBy(json("{'team_id':'T1','event':{'type':'app_uninstalled'},"
                        + "'authorizations':[{'team_id':'T1','is_enterprise_install':false}]}")))
                .hasValue("T1");
    }

    @Test
    void tokensRevokedEndsItOnlyWhenItNamesBotTokens() throws Exception {
        assertThat(Uninstalls.endedBy(
                        json("{'team_id':'T1','event':{'type':'tokens_revoked','tokens':{'bot':['UBOT']}}}")))
                .hasValue("T1");
        assertThat(Uninstalls.endedBy(
                        json("{'team_id':'T1','event':{'type':'tokens_revoked','tokens':{'oauth':['U1']}}}")))
                .isEmpty();
        assertThat(Uninstalls.endedBy(json("{'team_id':'T1','event':{'type':'tokens_revoked','tokens':{'bot':[]}}}")))
                .isEmpty();
    }

    @Test
    void anOrgWideInstallIsTheOrganizations() throws Exception {
        assertThat(Uninstalls.endedBy(json("{'team_id':'T7','enterprise_id':'E1','event':{'type':'app_uninstalled'},"
                        + "'authorizations':[{'enterprise_id':'E1','team_id':null,'is_enterprise_install':true}]}")))
                .hasValue("E1");
    }

    @Test
    void otherEventsEndNothing() throws Exception {
        assertThat(Uninstalls.endedBy(json("{'team_id':'T1','event':{'type':'message'}}")))
                .isEmpty();
        assertThat(Uninstalls.endedBy(json("{'event':{'type':'app_uninstalled'}}")))
                .isEmpty();
    }
}
