/**
 * The client's implementation. Nothing here is API: it may change in any release, and no type of it
 * appears in a public signature (ApiSurfaceTest checks that).
 */
package dev.relax.client.internal;
