/** The protocol's names, commands and bot registrations. */
package dev.relax.core.protocol;
