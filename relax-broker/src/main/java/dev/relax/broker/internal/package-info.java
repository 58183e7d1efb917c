/**
 * The broker's implementation. Nothing under {@code dev.relax.broker.internal} is API: it may change in
 * any release, and no type of it appears in a public signature (ApiSurfaceTest checks that).
 */
package dev.relax.broker.internal;
