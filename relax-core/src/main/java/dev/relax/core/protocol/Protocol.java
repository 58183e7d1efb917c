/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core.protocol;

/**
 * Every name of the Relax protocol in one place: event types, command types, environment variables
 * and the wire names of event fields. Live Redis key names always come from configuration
 * ({@link dev.relax.core.RelaxConfig}); nothing here is a key name.
 *
 * <p>The contract is the Go broker's protocol; see {@code docs/protocol.md}.
 */
public final class Protocol {
    private Protocol() {}

    /** The only provider Relax knows. */
    public static final String PROVIDER_SLACK = "slack";

    // Event types: the "type" field of an event on RELAX_EVENTS_QUEUE.
    public static final String EVENT_MESSAGE_NEW = "message_new";
    public static final String EVENT_MESSAGE_EDITED = "message_edited";
    public static final String EVENT_MESSAGE_DELETED = "message_deleted";
    public static final String EVENT_REACTION_ADDED = "reaction_added";
    public static final String EVENT_REACTION_REMOVED = "reaction_removed";
    public static final String EVENT_TEAM_JOINED = "team_joined";
    public static final String EVENT_IM_CREATED = "im_created";
    public static final String EVENT_CHANNEL_JOINED = "channel_joined";
    public static final String EVENT_DISABLE_BOT = "disable_bot";
    /** A slash command an app received over Socket Mode or HTTP; Slack's payload is in {@code payload}. */
    public static final String EVENT_SLASH_COMMAND = "slash_command";
    /** A click, menu choice or form submission an app received; Slack's payload is in {@code payload}. */
    public static final String EVENT_INTERACTION = "interaction";
    /** An Events API event with no RTM equivalent (e.g. {@code app_home_opened}), kept in {@code payload}. */
    public static final String EVENT_SLACK_EVENT = "slack_event";

    // Command types: the "type" field of a command PUBLISHed on RELAX_BOTS_PUBSUB.
    public static final String COMMAND_TEAM_ADDED = "team_added";
    public static final String COMMAND_TEAM_REMOVED = "team_removed";
    public static final String COMMAND_MESSAGE = "message";
    /** Relax's addition: read an app registration from the apps hash and (re)start its Socket Mode links. */
    public static final String COMMAND_APP_ADDED = "app_added";
    /** Relax's addition: stop an app's Socket Mode connections and forget it. */
    public static final String COMMAND_APP_REMOVED = "app_removed";
    /** Relax's addition: an installation was stored or changed; brokers drop what they cached of it. */
    public static final String COMMAND_INSTALLATION_ADDED = "installation_added";
    /** Relax's addition: an installation was removed. */
    public static final String COMMAND_INSTALLATION_REMOVED = "installation_removed";

    // Environment variables, the same names as the Go broker's.
    public static final String ENV_BOTS_KEY = "RELAX_BOTS_KEY";
    public static final String ENV_BOTS_PUBSUB = "RELAX_BOTS_PUBSUB";
    public static final String ENV_EVENTS_QUEUE = "RELAX_EVENTS_QUEUE";
    public static final String ENV_MUTEX_KEY = "RELAX_MUTEX_KEY";
    public static final String ENV_REDISCLOUD_URL = "REDISCLOUD_URL";
    public static final String ENV_REDIS_URL = "REDIS_URL";
    public static final String ENV_REDIS_HOST = "REDIS_HOST";
    public static final String ENV_REDIS_PASSWORD = "REDIS_PASSWORD";
    /** Relax only: {@code true} when the Redis address names (seed nodes of) a Redis Cluster. */
    public static final String ENV_REDIS_CLUSTER = "REDIS_CLUSTER";
    /** Relax only: the Sentinels, {@code host:port[,host:port]}, with {@link #ENV_REDIS_SENTINEL_MASTER}. */
    public static final String ENV_REDIS_SENTINELS = "REDIS_SENTINELS";
    /** Relax only: the name under which the Sentinels monitor the primary. */
    public static final String ENV_REDIS_SENTINEL_MASTER = "REDIS_SENTINEL_MASTER";

    public static final String ENV_SLACK_HOST = "SLACK_HOST";
    public static final String ENV_PORT = "PORT";
    public static final String ENV_SEND_BOT_REPLIES = "RELAX_SEND_BOT_REPLIES";
    public static final String ENV_LOG_LEVEL = "RELAX_LOG_LEVEL";
    public static final String ENV_MUTEX_MODE = "RELAX_MUTEX_MODE";
    /** Relax's addition: the hash of app registrations; default {@code <RELAX_BOTS_KEY>:apps}. */
    public static final String ENV_APPS_KEY = "RELAX_APPS_KEY";
    /** Relax's addition: the hash of app installations; default {@code <RELAX_BOTS_KEY>:installations}. */
    public static final String ENV_INSTALLATIONS_KEY = "RELAX_INSTALLATIONS_KEY";
    /** Relax's addition: the stream of Web API calls; default {@code <RELAX_BOTS_KEY>:calls}. */
    public static final String ENV_CALLS_KEY = "RELAX_CALLS_KEY";
    /** The keys that encrypt the secrets of apps in Redis: {@code id:base64key[,id:base64key…]}, the first encrypts. */
    public static final String ENV_ENCRYPTION_KEYS = "RELAX_ENCRYPTION_KEYS";
    /** Whether RTM bot tokens in the bots hash are encrypted too (only for fleets without Go brokers). */
    public static final String ENV_ENCRYPT_BOT_TOKENS = "RELAX_ENCRYPT_BOT_TOKENS";

    /** Default Slack Web API base URL. */
    public static final String DEFAULT_SLACK_HOST = "https://slack.com";

    // Wire names of the twelve event fields, in the order the Go broker writes them.
    public static final String FIELD_TYPE = "type";
    public static final String FIELD_USER_UID = "user_uid";
    public static final String FIELD_CHANNEL_UID = "channel_uid";
    public static final String FIELD_TEAM_UID = "team_uid";
    public static final String FIELD_IM = "im";
    public static final String FIELD_TEXT = "text";
    public static final String FIELD_RELAX_BOT_UID = "relax_bot_uid";
    public static final String FIELD_TIMESTAMP = "timestamp";
    public static final String FIELD_PROVIDER = "provider";
    public static final String FIELD_EVENT_TIMESTAMP = "event_timestamp";
    public static final String FIELD_NAMESPACE = "namespace";
    public static final String FIELD_ATTACHMENTS = "attachments";

    // Wire names of command and registration fields.
    public static final String FIELD_TEAM_ID = "team_id";
    public static final String FIELD_TOKEN = "token";
    public static final String FIELD_ID = "id";
    public static final String FIELD_PAYLOAD = "payload";
    /** On a {@code message} command: {@code true} when the sender waits for Slack's answer as a call result. */
    public static final String FIELD_RESULT = "result";

    // Relax's additions to events from Slack apps (Socket Mode, Events API); RTM events never carry them.
    /** The Slack app whose installation saw the event. */
    public static final String FIELD_RELAX_APP_ID = "relax_app_id";
    /** Slack's {@code event_id} ({@code Ev…}) for Events API events. */
    public static final String FIELD_SLACK_EVENT_ID = "slack_event_id";
    /** The thread's parent {@code ts} of a message posted in a thread, on app events of messages. */
    public static final String FIELD_THREAD_TS = "thread_ts";
    /** The Slack bot ({@code B…}) that posted a message, on app events of messages a bot posted. */
    public static final String FIELD_BOT_ID = "bot_id";

    /**
     * The W3C trace context (https://www.w3.org/TR/trace-context/#traceparent-header) of the span that
     * produced an event or queued a call: on events and call entries only while tracing is on, so that by
     * default events stay byte for byte the Go broker's.
     */
    public static final String FIELD_TRACEPARENT = "traceparent";

    // Wire names of app registrations and installations.
    public static final String FIELD_APP_ID = "app_id";
    public static final String FIELD_APP_TOKEN = "app_token";
    public static final String FIELD_SIGNING_SECRET = "signing_secret";
    public static final String FIELD_CONNECTIONS = "connections";
    public static final String FIELD_BOT_USER_ID = "bot_user_id";
    public static final String FIELD_BOT_TOKEN = "bot_token";
    // From Slack's OAuth flow (https://docs.slack.dev/authentication/installing-with-oauth).
    public static final String FIELD_ENTERPRISE_ID = "enterprise_id";
    public static final String FIELD_IS_ENTERPRISE_INSTALL = "is_enterprise_install";
    public static final String FIELD_BOT_SCOPES = "bot_scopes";
    public static final String FIELD_INSTALLER_USER_ID = "installer_user_id";
    public static final String FIELD_USER_TOKEN = "user_token";
    public static final String FIELD_USER_SCOPES = "user_scopes";
    public static final String FIELD_BOT_REFRESH_TOKEN = "bot_refresh_token";
    public static final String FIELD_BOT_TOKEN_EXPIRES_AT = "bot_token_expires_at";
    public static final String FIELD_USER_REFRESH_TOKEN = "user_refresh_token";
    public static final String FIELD_USER_TOKEN_EXPIRES_AT = "user_token_expires_at";
    public static final String FIELD_INSTALLED_AT = "installed_at";
    /**
     * Suffix of the hash, beside the installations hash, that names the organization of each workspace an
     * org-wide (Enterprise Grid) installation serves: field {@code <app id>:<team id>}, value the
     * enterprise id. Brokers fill it from the events of those workspaces.
     */
    public static final String ORG_TEAMS_SUFFIX = ":org_teams";
    /** Suffix, after the installations key, of an install's OAuth {@code state}: {@code <key>:oauth_state:<state>}. */
    public static final String OAUTH_STATE_SUFFIX = ":oauth_state:";
    /**
     * Suffix, after the installations key, of the lock a broker holds while it refreshes an installation's
     * tokens: {@code <key>:refreshing:<app id>:<team id>}.
     */
    public static final String REFRESHING_SUFFIX = ":refreshing:";
    /**
     * Suffix, after the bots key, of the lease of one replica of an RTM bot when {@code
     * RELAX_RTM_REPLICAS} is set: {@code <key>:rtm_lease:<bot hash field>:<replica>}, value the holding
     * broker's id, {@code SET NX PX}.
     */
    public static final String RTM_LEASE_SUFFIX = ":rtm_lease:";
    /**
     * Suffix, after the bots key, of the sorted set of live brokers that share RTM bots ({@code
     * RELAX_RTM_REPLICAS} set): member a broker's id, score when its heartbeat expires (Redis's clock).
     */
    public static final String RTM_BROKERS_SUFFIX = ":rtm_brokers";

    public static final String FIELD_CLIENT_ID = "client_id";
    public static final String FIELD_CLIENT_SECRET = "client_secret";
    public static final String FIELD_REDIRECT_URL = "redirect_url";
    public static final String FIELD_INSTALL_PAGE = "install_page";

    /** Socket Mode connections per app when a registration does not say. */
    public static final int DEFAULT_APP_CONNECTIONS = 2;
    /** Slack's limit of open Socket Mode connections per app (https://api.slack.com/apis/socket-mode). */
    public static final int MAX_APP_CONNECTIONS = 10;

    /** Prefix of the mutex-hash field that makes a {@code message} command go out once across brokers. */
    public static final String MUTEX_SEND_MESSAGE_PREFIX = "send_slack_message:";

    /** Prefix of the Go broker's per-event mutex-hash field: {@code bot_message:<channel>:<event_timestamp>}. */
    public static final String MUTEX_BOT_MESSAGE_PREFIX = "bot_message:";
}
