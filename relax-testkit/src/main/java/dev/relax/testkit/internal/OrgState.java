/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.internal;

/** An Enterprise Grid organization: its {@code E…} id and name; its workspaces name it in {@link TeamState#enterpriseId()}. */
public record OrgState(String id, String name) {}
