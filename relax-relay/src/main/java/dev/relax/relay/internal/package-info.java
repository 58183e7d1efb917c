/** The relay's internals (issue 15, in progress); not API. */
package dev.relax.relay.internal;
