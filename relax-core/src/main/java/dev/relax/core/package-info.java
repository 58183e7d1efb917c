/** Configuration and the shared exception and secret types of Relax. */
package dev.relax.core;
