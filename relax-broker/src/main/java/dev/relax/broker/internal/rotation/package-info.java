/**
 * Broker internals (rotating Slack tokens); not API. {@link
 * dev.relax.broker.internal.rotation.TokenRefresher} refreshes one installation under a lock in Redis, so
 * that a single-use refresh token is redeemed once across the fleet, and stores the new pair with a
 * compare-and-set; {@link dev.relax.broker.internal.rotation.RefreshScan} walks the installations hash on a
 * schedule for tokens about to expire; {@link dev.relax.broker.internal.rotation.OAuthRefreshClient} calls
 * {@code oauth.v2.access} with {@code grant_type=refresh_token}; {@link
 * dev.relax.broker.internal.rotation.RotationStore} holds every Redis step.
 */
package dev.relax.broker.internal.rotation;
