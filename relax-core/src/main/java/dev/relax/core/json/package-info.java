/** The Relax protocol's JSON codec: {@link dev.relax.core.json.RelaxJson}. */
package dev.relax.core.json;
