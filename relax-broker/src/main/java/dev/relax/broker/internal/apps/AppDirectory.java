/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relax.core.EncryptionKeys;
import dev.relax.core.RelaxException;
import dev.relax.core.json.RelaxJson;
import dev.relax.core.protocol.AppRegistration;
import dev.relax.core.protocol.Installation;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this broker knows of Slack apps: the registrations from the apps hash (replaced whole on every
 * reconciliation, one at a time by {@code app_added} / {@code app_removed}), and the installations,
 * read from the installations hash on first use and cached until an {@code installation_added} or
 * {@code installation_removed} says they changed, or until a reconciliation after a Redis reconnect, when
 * such a command may have been published while the broker was away ({@link #forgetInstallations()}).
 * Thread-safe.
 */
public final class AppDirectory {
    private static final Logger log = LoggerFactory.getLogger(AppDirectory.class);

    private final Function<String, String> readInstallation;
    /** Open the secrets of registrations and installations (RELAX_ENCRYPTION_KEYS). */
    private final EncryptionKeys keys;
    /**
     * Deletes an installation (app, team or organization) with its {@code installation_removed}, true when
     * it was there; blocking.
     */
    private final Remover removeInstallation;

    private final OrgTeams orgTeams;
    /** The {@code <app>:<team>} of workspaces this broker noted as served by an org-wide installation. */
    private final Set<String> notedOrgTeams = ConcurrentHashMap.newKeySet();

    /** Deletes an installation for an uninstall event. */
    @FunctionalInterface
    public interface Remover {
        /**
         * Deletes the installation of {@code appId} in {@code teamOrEnterprise} with its {@code
         * installation_removed}, unless it was installed after {@code eventTime} (epoch seconds; 0: unknown);
         * true when it deleted it. Blocking.
         */
        boolean remove(String appId, String teamOrEnterprise, long eventTime);
    }

    private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();
    private final Map<String, Optional<Installation>> installations = new ConcurrentHashMap<>();
    /**
     * Counts forgets; guarded by {@code this}, as are the cache's puts and clears. A read of Redis that
     * started before a forget is not cached after it, since it may have read what the forget is about.
     */
    private long forgets;

    /**
     * @param readInstallation HGET of the installations hash (blocking); null when the field is absent
     * @param keys what opens the secrets stored encrypted
     */
    public AppDirectory(Function<String, String> readInstallation, EncryptionKeys keys) {
        this(readInstallation, keys, (app, team, time) -> false);
    }

    /**
     * @param removeInstallation deletes an installation and publishes {@code installation_removed} when it
     *     was there (blocking); true when it was
     */
    public AppDirectory(Function<String, String> readInstallation, EncryptionKeys keys, Remover removeInstallation) {
        this(readInstallation, keys, removeInstallation, (app, team, enterprise) -> {});
    }

    /**
     * @param orgTeams records that a workspace is served by its organization's org-wide installation
     *     (blocking), so that Web API calls for it find the installation
     */
    public AppDirectory(
            Function<String, String> readInstallation,
            EncryptionKeys keys,
            Remover removeInstallation,
            OrgTeams orgTeams) {
        this.readInstallation = readInstallation;
        this.keys = keys;
        this.removeInstallation = removeInstallation;
        this.orgTeams = orgTeams;
    }

    /** Records which organization's org-wide installation serves a workspace. */
    @FunctionalInterface
    public interface OrgTeams {
        void note(String appId, String teamId, String enterpriseId);
    }

    /**
     * Notes, once per broker, the organization of the workspace an event came from when an org-wide
     * installation delivered it (https://docs.slack.dev/enterprise: {@code authorizations} say {@code
     * is_enterprise_install}); blocking the first time. A failure is logged and tried again next event.
     */
    public void sawEvent(String appId, JsonNode payload) {
        JsonNode authorization = payload.path("authorizations").path(0);
        if (!authorization.path("is_enterprise_install").asBoolean(false)) {
            return;
        }
        String team = payload.path("team_id").asText("");
        String enterprise = payload.path("enterprise_id")
                .asText(authorization.path("enterprise_id").asText(""));
        if (team.isEmpty() || enterprise.isEmpty() || team.equals("null") || enterprise.equals("null")) {
            return;
        }
        String field = Installation.hashField(appId, team);
        if (notedOrgTeams.add(field)) {
            try {
                orgTeams.note(appId, team, enterprise);
            } catch (RuntimeException e) {
                notedOrgTeams.remove(field);
                log.warn(
                        "app {}: cannot note that {} is served by the org-wide installation of {}: {}",
                        appId,
                        team,
                        enterprise,
                        e.toString());
            }
        }
    }

    /** A directory of secrets stored in plain text. */
    public AppDirectory(Function<String, String> readInstallation) {
        this(readInstallation, EncryptionKeys.none());
    }

    /** Decodes the apps hash; bad entries are logged with their field and skipped. */
    public Map<String, AppRegistration> decodeAll(Map<String, String> hash) {
        Map<String, AppRegistration> out = new HashMap<>();
        hash.forEach((field, json) -> {
            AppRegistration app = decode(field, json);
            if (app != null) {
                out.put(app.appId(), app);
            }
        });
        return out;
    }

    /** One entry of the apps hash, or null (logged) when it is not a valid registration. */
    public AppRegistration decode(String field, String json) {
        try {
            AppRegistration app = RelaxJson.decodeApp(json, keys);
            if (!app.appId().equals(field)) {
                log.warn("apps hash field '{}' holds the registration of app {}; using the app id", field, app.appId());
            }
            return app;
        } catch (RelaxException e) {
            log.error("apps hash field '{}' holds no valid app registration, skipped: {}", field, e.getMessage());
            return null;
        }
    }

    public void replaceAll(Map<String, AppRegistration> current) {
        apps.keySet().retainAll(current.keySet());
        apps.putAll(current);
    }

    public void put(AppRegistration app) {
        apps.put(app.appId(), app);
    }

    public synchronized void remove(String appId) {
        apps.remove(appId);
        forgets++;
        installations.keySet().removeIf(k -> k.startsWith(appId + ":"));
    }

    public AppRegistration app(String appId) {
        return apps.get(appId);
    }

    public Collection<AppRegistration> apps() {
        return apps.values();
    }

    /** Whether {@link #installation} answers {@code appId} in {@code teamId} without reading Redis. */
    public boolean installationCached(String appId, String teamId) {
        return installations.containsKey(Installation.hashField(appId, teamId));
    }

    /** Forgets a cached installation, so that the next use reads it again. */
    public synchronized void forgetInstallation(String appId, String teamId) {
        forgets++;
        installations.remove(Installation.hashField(appId, teamId));
    }

    /**
     * Forgets every cached installation: after a Redis reconnect, the {@code installation_added} and
     * {@code installation_removed} published while the broker was away are lost (pub/sub keeps nothing).
     */
    public synchronized void forgetInstallations() {
        forgets++;
        installations.clear();
    }

    /**
     * The installation of {@code appId} in {@code teamId}: cached, else read from Redis (blocking). Empty
     * when there is none or it is not valid (logged); a Redis failure propagates and caches nothing.
     */
    public Optional<Installation> installation(String appId, String teamId) {
        String field = Installation.hashField(appId, teamId);
        Optional<Installation> cached = installations.get(field);
        if (cached != null) {
            return cached;
        }
        long seen;
        synchronized (this) {
            seen = forgets;
        }
        String json = readInstallation.apply(field);
        Optional<Installation> found = Optional.empty();
        if (json != null) {
            try {
                Installation read = RelaxJson.decodeInstallation(json, keys);
                if (read.hashField().equals(field)) {
                    found = Optional.of(read);
                } else { // a document copied under another field: its token is not this workspace's
                    log.error(
                            "installations hash field '{}' holds the installation of {}; not used",
                            field,
                            read.hashField());
                }
            } catch (RelaxException e) { // malformed, or a token that cannot be decrypted: the message says which
                log.error("installations hash field '{}' holds no valid installation: {}", field, e.getMessage());
            }
        }
        synchronized (this) {
            if (forgets == seen) {
                installations.put(field, found);
            }
        }
        return found;
    }

    /**
     * Slack ended the installation of {@code appId} in {@code teamOrEnterprise} ({@code app_uninstalled},
     * {@code tokens_revoked}): deletes it from the installations hash, publishing {@code installation_removed}
     * only when it was still there (so once across a fleet, whichever broker got the event first), and
     * forgets it. Blocking; a Redis failure is logged, not thrown: the event itself is already stored.
     */
    public void uninstalled(String appId, String teamOrEnterprise, long eventTime) {
        try {
            if (removeInstallation.remove(appId, teamOrEnterprise, eventTime)) {
                log.info("app {}: uninstalled from {}; installation removed", appId, teamOrEnterprise);
            } else {
                log.debug("app {}: uninstalled from {}; no installation was stored", appId, teamOrEnterprise);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "app {}: uninstalled from {}, but the installation could not be removed: {}",
                    appId,
                    teamOrEnterprise,
                    e.toString());
        }
        forgetInstallation(appId, teamOrEnterprise);
    }

    /** The bot user of a cached installation, or "" when it is not cached; never reads Redis. */
    public String cachedBotUserId(String appId, String teamId) {
        Optional<Installation> cached = installations.get(Installation.hashField(appId, teamId));
        return cached == null ? "" : cached.map(Installation::botUserId).orElse("");
    }

    /** The bot user of an installation, or "" when unknown (or Redis cannot say right now). */
    public String botUserId(String appId, String teamId) {
        try {
            return installation(appId, teamId).map(Installation::botUserId).orElse("");
        } catch (RuntimeException e) {
            log.warn("cannot read the installation {}:{} ({}); relax_bot_uid left empty", appId, teamId, e.toString());
            return "";
        }
    }
}
