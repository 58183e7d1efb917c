/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The one place that names the broker's meters, on a Micrometer {@link PrometheusMeterRegistry} rendered on
 * {@code /metrics}. Call sites use its fields ({@code metrics.eventsOut.increment()}) and methods, never a
 * metric name; docs/operations.md lists every name. Counters are Micrometer's (striped adders: the event
 * path never contends on them); histograms have a dozen fixed buckets each ({@link BrokerHistograms}).
 * Thread-safe. {@link #close()} releases the JVM binders' listeners.
 */
public final class BrokerMetrics implements AutoCloseable {
    /** A Slack method name (such as {@code chat.postMessage}, {@code oauth.v2.access}) as a tag value. */
    private static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9]+)+");

    private static final int MAX_METHOD_LENGTH = 64;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final BrokerHistograms histograms;
    /** The GC binder listens to the JVM's notifications until closed; null without JVM metrics. */
    private final JvmGcMetrics gc;

    /** Frames received from Slack. */
    public final Counter framesIn = counter("relax.frames.in", "Frames received from Slack.");
    /** Frames that were not JSON or not understood. */
    public final Counter framesMalformed =
            counter("relax.frames.malformed", "Frames from Slack that could not be read.");
    /** Events produced from frames (before dedupe). */
    public final Counter eventsIn = counter("relax.events.in", "Events produced from Slack frames.");
    /** Events pushed onto the events queue by this broker. */
    public final Counter eventsOut = counter("relax.events.out", "Events pushed to the events queue by this broker.");
    /** Events another broker (or an earlier try of this one) had already pushed. */
    public final Counter eventsDeduplicated =
            counter("relax.events.deduplicated", "Events already pushed by another broker or try.");
    /** Events dropped because the in-memory buffer was full during a Redis outage. */
    public final Counter eventsDropped =
            counter("relax.events.dropped", "Events dropped because the Redis buffer was full.");
    /** Failed Redis calls (writes, reads, script loads). */
    public final Counter redisErrors = counter("relax.redis.errors", "Failed Redis calls.");
    /** Commands received on the pub/sub channel. */
    public final Counter commandsIn = counter("relax.commands.in", "Commands received on the pub/sub channel.");
    /** Commands rejected as invalid or naming an unknown bot. */
    public final Counter commandsRejected =
            counter("relax.commands.rejected", "Commands that were invalid or named an unknown bot.");
    /** Messages written to Slack sockets for {@code message} commands. */
    public final Counter messagesSent = counter("relax.messages.sent", "Message commands written to a Slack socket.");
    /** Web API calls from the calls stream that ended well. */
    public final Counter callsOk = callResult("ok");
    /** Web API calls from the calls stream that failed for good. */
    public final Counter callsFailed = callResult("error");
    /** Web API call attempts that were retried (HTTP 429, 5xx, network errors). */
    public final Counter callsRetried =
            counter("relax.calls.retried", "Web API call attempts retried after 429, 5xx or a network error.");
    /** Refreshes of rotating tokens that stored a new token. */
    public final Counter tokenRefreshesOk = tokenRefresh("ok");
    /** Refreshes Slack refused for good: the installation was disabled. */
    public final Counter tokenRefreshesRefused = tokenRefresh("refused");
    /** Refreshes that failed for now (network, 5xx, 429, an unexpected answer), tried again later. */
    public final Counter tokenRefreshesFailed = tokenRefresh("failed");
    /** Web API calls Slack answered with HTTP 429. */
    public final Counter callsRateLimited =
            counter("relax.calls.ratelimited", "Web API calls Slack answered with HTTP 429.");
    /** Socket Mode envelopes received. */
    public final Counter envelopesIn = counter("relax.socket.mode.envelopes", "Socket Mode envelopes received.");
    /** Socket Mode envelopes acknowledged (after their event was in Redis). */
    public final Counter envelopesAcked =
            counter("relax.socket.mode.acks", "Socket Mode envelopes acknowledged once their event was in Redis.");
    /** Requests to {@code /slack/...} that Slack marked as retries ({@code X-Slack-Retry-Num}). */
    public final Counter slackRetries =
            counter("relax.events.api.retries", "Requests from Slack marked as retries (X-Slack-Retry-Num).");

    /** The broker's meters alone, on the system clock: for tests. */
    public BrokerMetrics() {
        this(Clock.systemUTC(), false);
    }

    /**
     * @param clock the wall clock that ages are measured against (Slack's event times, a call's {@code
     *     enqueued_at})
     * @param jvm whether to add Micrometer's JVM and process meters ({@code jvm_*}, {@code process_*},
     *     {@code system_*}): the running broker does, tests need not
     */
    public BrokerMetrics(Clock clock, boolean jvm) {
        this.clock = clock;
        this.histograms = new BrokerHistograms(registry);
        if (jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
        } else {
            gc = null;
        }
    }

    /** Counts a reconnect of one bot, by cause ({@code missed_pongs}, {@code goodbye}, {@code closed}, ...). */
    public void reconnect(String cause) {
        reconnectCounter(cause).increment();
    }

    /** Reconnects counted for {@code cause} so far. */
    public long reconnects(String cause) {
        return (long) reconnectCounter(cause).count();
    }

    private Counter reconnectCounter(String cause) {
        return Counter.builder("relax.reconnects")
                .description("Reconnects of bots and Socket Mode connections, by cause.")
                .tag("cause", cause)
                .register(registry);
    }

    /**
     * Counts a reconnect of a Socket Mode connection of {@code app}, by cause ({@code socket_mode_closed},
     * {@code socket_mode_silent}), in {@code relax_reconnects_total} and per app.
     */
    public void socketModeReconnect(String app, String cause) {
        reconnect(cause);
        Counter.builder("relax.socket.mode.reconnects")
                .description("Reconnects of Socket Mode connections, by app and cause.")
                .tags("app", app, "cause", cause)
                .register(registry)
                .increment();
    }

    /**
     * Counts a request to the Events API, slash command or interactivity endpoint by its result
     * ({@code ok}, {@code bad_signature}, {@code stale}, {@code malformed}, ...).
     */
    public void slackRequest(String result) {
        requestCounter(result).increment();
    }

    /** Shows these results at 0 until counted, so that dashboards and alerts see them from the start. */
    public void declareSlackRequestResults(String... results) {
        for (String result : results) {
            requestCounter(result);
        }
    }

    /** Requests counted with {@code result} so far. */
    public long slackRequests(String result) {
        return (long) requestCounter(result).count();
    }

    private Counter requestCounter(String result) {
        return Counter.builder("relax.events.api.requests")
                .description("Requests from Slack to /slack/..., by result.")
                .tag("result", result)
                .register(registry);
    }

    /** The events waiting in memory for Redis: {@code relax_buffer_depth}. */
    public void bufferDepth(LongSupplier depth) {
        gauge("relax.buffer.depth", "Events waiting in memory for Redis.", Tags.empty(), depth);
    }

    /** The RTM bots of this broker in {@code state} (lower case): {@code relax_bots{state}}. */
    public void bots(String state, LongSupplier count) {
        gauge("relax.bots", "RTM bots of this broker, by state.", Tags.of("state", state), count);
    }

    /** The open Socket Mode connections of this broker, all apps: {@code relax_socket_mode_connections}. */
    public void socketModeConnections(LongSupplier open) {
        gauge("relax.socket.mode.connections", "Open Socket Mode connections of this broker.", Tags.empty(), open);
    }

    /** The open Socket Mode connections of {@code app} on this broker, until {@link #appGone}. */
    public void appConnections(String app, LongSupplier open) {
        gauge(
                "relax.socket.mode.app.connections",
                "Open Socket Mode connections of this broker, by app.",
                Tags.of("app", app),
                open);
    }

    /** Removes the per-app series (connections, reconnects) of an app this broker no longer serves. */
    public void appGone(String app) {
        for (String name : new String[] {"relax.socket.mode.app.connections", "relax.socket.mode.reconnects"}) {
            registry.find(name).tags("app", app).meters().forEach(registry::remove);
        }
    }

    /** RTM bots whose replica lease this broker holds ({@code RELAX_RTM_REPLICAS} set). */
    public void rtmLeases(LongSupplier held) {
        gauge("relax.rtm.leases", "RTM bots this broker holds a replica lease of.", Tags.empty(), held);
    }

    /** The gauges of the Events API's admission: requests in flight, bodies being received, bytes held. */
    public void eventsApiAdmission(LongSupplier inFlight, LongSupplier receiving, LongSupplier bodyBytes) {
        gauge(
                "relax.events.api.requests.in.flight",
                "Requests to /slack/... being handled, their body in.",
                Tags.empty(),
                inFlight);
        gauge(
                "relax.events.api.requests.receiving",
                "Requests to /slack/... whose body is being received.",
                Tags.empty(),
                receiving);
        gauge(
                "relax.events.api.body.bytes",
                "Bytes of request bodies to /slack/... held in memory.",
                Tags.empty(),
                bodyBytes);
    }

    /**
     * An event of {@code transport} ({@code rtm}, {@code socket_mode}, {@code events_api}) is in Redis:
     * {@code writeNanos} after the broker received it, and, when Slack stamped it ({@code slackMillis} &gt;
     * 0, epoch milliseconds), that old by Slack's clock (a negative age, clock skew, counts as 0).
     */
    public void eventStored(String transport, long writeNanos, long slackMillis) {
        histograms.eventWrite(transport).record(Math.max(0, writeNanos), TimeUnit.NANOSECONDS);
        if (slackMillis > 0) {
            long age = Math.max(0, clock.millis() - slackMillis);
            histograms.eventAge(transport).record(age, TimeUnit.MILLISECONDS);
        }
    }

    /** A Socket Mode envelope was acknowledged {@code nanos} after it was received. */
    public void acked(long nanos) {
        histograms.ackDelay.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /**
     * A Web API request to {@code method} took {@code nanos} and ended with {@code outcome} ({@code ok},
     * {@code error}, {@code ratelimited}, {@code http_error}, {@code network_error}). Methods come from apps:
     * a name that is no Slack method name counts as {@code other}.
     */
    public void webApiCall(String method, String outcome, long nanos) {
        histograms.webApiCall(methodTag(method), outcome).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** A call of the calls stream, queued at {@code enqueuedAtMillis} (epoch ms; 0: unknown), starts now. */
    public void callStarted(long enqueuedAtMillis) {
        if (enqueuedAtMillis > 0) {
            histograms.callQueueWait.record(Math.max(0, clock.millis() - enqueuedAtMillis), TimeUnit.MILLISECONDS);
        }
    }

    static String methodTag(String method) {
        return method.length() <= MAX_METHOD_LENGTH && METHOD.matcher(method).matches() ? method : "other";
    }

    /** All metrics in the Prometheus text exposition format (version 0.0.4). */
    public String render() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    /**
     * Counts one outcome of the install flow's redirect ({@code /slack/oauth_redirect}), by result
     * ({@code installed}, {@code cancelled}, ...): {@code relax_oauth_installs_total{result}}.
     */
    public void oauthInstall(String result) {
        oauthInstallCounter(result).increment();
    }

    /** Install outcomes counted with {@code result} so far. */
    public long oauthInstalls(String result) {
        return (long) oauthInstallCounter(result).count();
    }

    private Counter oauthInstallCounter(String result) {
        return Counter.builder("relax.oauth.installs")
                .description("Ends of the Add to Slack flow at /slack/oauth_redirect, by result.")
                .tag("result", result)
                .register(registry);
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }

    private Counter tokenRefresh(String result) {
        return Counter.builder("relax.token.refreshes")
                .description("Refreshes of rotating Slack tokens, by result.")
                .tag("result", result)
                .register(registry);
    }

    private Counter callResult(String result) {
        return Counter.builder("relax.calls")
                .description("Web API calls of the calls stream finished, by result.")
                .tag("result", result)
                .register(registry);
    }

    /** Registers a gauge read at scrape time, replacing one of the same name and tags (a part started again). */
    private void gauge(String name, String help, Tags tags, LongSupplier value) {
        registry.find(name).tags(tags).meters().forEach(registry::remove);
        Gauge.builder(name, value, v -> (double) v.getAsLong())
                .description(help)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }
}
