/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import java.util.Objects;

/**
 * A person in a simulated workspace, as returned by {@link Workspace#user} and {@link Workspace#join}.
 *
 * @param id the {@code U…} user id
 * @param name the handle, e.g. {@code alice}
 * @param realName the display name, e.g. {@code Alice}
 */
public record User(String teamId, String id, String name, String realName) {
    public User {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(realName, "realName");
    }
}
