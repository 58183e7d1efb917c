/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import dev.relax.testkit.internal.OrgState;
import dev.relax.testkit.internal.SimulatorCore;
import dev.relax.testkit.internal.TeamState;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A simulated Enterprise Grid organization and its workspaces. Events of its workspaces carry its id
 * ({@code enterprise_id}); apps that allow org-wide installs ({@link App#orgWideInstall()}) can be
 * installed into all of its workspaces at once from the authorize page.
 *
 * <pre>{@code
 * Enterprise org = slack.enterprise("E1", "Starship");
 * Workspace bridge = org.workspace("T1");
 * }</pre>
 */
public final class Enterprise {
    private final SimulatorCore core;
    private final OrgState org;

    Enterprise(SimulatorCore core, OrgState org) {
        this.core = core;
        this.org = org;
    }

    /** The organization id, e.g. {@code E1}. */
    public String id() {
        return org.id();
    }

    /** The organization's name, as oauth.v2.access's {@code enterprise.name}. */
    public String name() {
        return org.name();
    }

    /** The workspace {@code teamId} of this organization, created on first use. */
    public Workspace workspace(String teamId) {
        String domain = Objects.requireNonNull(teamId, "teamId").toLowerCase(Locale.ROOT);
        return workspace(teamId, "Team " + teamId, domain);
    }

    /**
     * The workspace {@code teamId} of this organization, created on first use with this name and domain.
     *
     * @throws IllegalArgumentException when the workspace belongs to another organization
     */
    public Workspace workspace(String teamId, String name, String domain) {
        TeamState team = core.team(SlackSimulator.requireId(teamId, "teamId"), name, domain);
        team.enterpriseId(org.id());
        return new Workspace(core, team);
    }

    /** The organization's workspaces, by id. */
    public List<Workspace> workspaces() {
        return core.teamsOf(org.id()).stream()
                .map(team -> new Workspace(core, team))
                .toList();
    }

    @Override
    public String toString() {
        return "Enterprise[" + org.id() + "]";
    }
}
