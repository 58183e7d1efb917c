/**
 * Test kit for Relax and for bots built on it: {@link dev.relax.testkit.SlackSimulator}, a local Slack
 * (Web API, RTM, Socket Mode, Events API) with scripted workspaces, faults and recordings; {@link
 * dev.relax.testkit.EmbeddedRedis}, a throw-away Redis server; {@link dev.relax.testkit.EmbeddedSentinel}, a
 * primary, its replica and three Sentinels for failover tests; and {@link
 * dev.relax.testkit.SlackSimulatorExtension}, which runs both for a JUnit 5 test class.
 */
package dev.relax.testkit;
