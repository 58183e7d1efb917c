/**
 * Broker internals (Slack apps: registrations, Socket Mode connections and the translation of app
 * events); not API. {@link dev.relax.broker.internal.apps.AppFleet} runs the Socket Mode apps of a
 * broker, one {@link dev.relax.broker.internal.apps.SocketModeApp} each, whose leased connections are
 * {@link dev.relax.broker.internal.apps.SocketModeLink}s; {@link
 * dev.relax.broker.internal.apps.AppEventTranslator} turns what apps receive into Relax events for
 * Socket Mode and the Events API alike.
 */
package dev.relax.broker.internal.apps;
