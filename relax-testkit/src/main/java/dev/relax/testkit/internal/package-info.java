/**
 * The simulator's implementation: Jetty endpoints, the workspace model, event routing and delivery.
 *
 * <p>Not API: every type here may change or disappear in any release. Use {@link dev.relax.testkit}.
 */
package dev.relax.testkit.internal;
