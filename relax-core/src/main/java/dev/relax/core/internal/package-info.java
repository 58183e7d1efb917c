/**
 * Implementation details of relax-core. Nothing here is API: it may change in any release, and no type
 * of this package appears in a public signature (a test checks that).
 */
package dev.relax.core.internal;
