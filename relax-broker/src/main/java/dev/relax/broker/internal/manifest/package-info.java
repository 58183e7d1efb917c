/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Broker internals (Slack app manifests); not API. {@link dev.relax.broker.internal.manifest.SlackAppManifest}
 * is the manifest JSON of an app, shared with the relay; {@link
 * dev.relax.broker.internal.manifest.ManifestCommand} is {@code java -jar relax-broker.jar manifest}, which
 * fills one in with the scopes and events the broker needs for the features chosen.
 */
package dev.relax.broker.internal.manifest;
