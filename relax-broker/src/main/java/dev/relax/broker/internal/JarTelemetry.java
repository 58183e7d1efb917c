/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable jar's OpenTelemetry: an SDK configured by the {@code OTEL_*} variables (and {@code -Dotel.*}
 * properties, which win) through the SDK's own autoconfiguration, or {@link OpenTelemetry#noop()} when
 * traces go nowhere ({@code OTEL_TRACES_EXPORTER=none}, the default, or {@code OTEL_SDK_DISABLED=true}).
 * With no SDK at all, spans have no valid context and events carry no {@code traceparent}: byte for byte
 * the Go broker's. Only the runnable jars' mains use this class (the broker's, and the relay's, whose
 * spans then join the broker's), so that an application embedding the broker never loads the SDK, which is
 * an optional dependency. The SDK's own shutdown hook is off: {@link #close()}
 * flushes the spans once the broker has closed and ended its own.
 */
public final class JarTelemetry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JarTelemetry.class);

    /** Seconds {@link #close()} waits for the last spans to be exported. */
    private static final long FLUSH_SECONDS = 5;

    private static final String HTTP_PROTOBUF = "http/protobuf";

    /**
     * The jar's defaults, below the environment and system properties: nothing exported unless asked,
     * metrics stay Micrometer's ({@code /metrics}), and OTLP goes over HTTP, the one transport the jar
     * ships (the SDK's own default is gRPC).
     */
    static final Map<String, String> DEFAULTS = Map.of(
            "otel.traces.exporter", "none",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none",
            "otel.exporter.otlp.protocol", HTTP_PROTOBUF);

    static final String SERVICE_NAME = "relax-broker";

    private final OpenTelemetry openTelemetry;
    private final OpenTelemetrySdk sdk;

    private JarTelemetry(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
    }

    /**
     * The OpenTelemetry that {@code env} (the process environment, or a test's) and the system properties
     * ask for, and one INFO line saying where spans go. Throws the SDK's own exception, naming the
     * property, when a setting is malformed or names what the jar does not ship (OTLP over gRPC).
     */
    public static JarTelemetry start(Map<String, String> env) {
        return start(env, SERVICE_NAME);
    }

    /** As {@link #start(Map)}, with the service name spans carry unless {@code OTEL_SERVICE_NAME} names one. */
    public static JarTelemetry start(Map<String, String> env, String serviceName) {
        String exporter = setting(env, "otel.traces.exporter", DEFAULTS.get("otel.traces.exporter"));
        if (Boolean.parseBoolean(setting(env, "otel.sdk.disabled", "false"))) {
            log.info("traces off: OTEL_SDK_DISABLED=true");
            return new JarTelemetry(OpenTelemetry.noop(), null);
        }
        if (exporter.equals("none")) {
            log.info("traces off: OTEL_TRACES_EXPORTER=none (set otlp or console to export them)");
            return new JarTelemetry(OpenTelemetry.noop(), null);
        }
        ConfigProperties[] resolved = new ConfigProperties[1];
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                // The process's own OTEL_* variables, read here too; given as properties so that a test
                // can pass its own (properties and the real environment agree in the jar).
                .addPropertiesSupplier(() -> otelProperties(env))
                .addPropertiesCustomizer(config -> {
                    resolved[0] = config;
                    requireHttp(config);
                    // A default property would override service.name in OTEL_RESOURCE_ATTRIBUTES.
                    return givenServiceName(config) == null ? Map.of("otel.service.name", serviceName) : Map.of();
                })
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        ConfigProperties config = resolved[0];
        String service = Objects.requireNonNullElse(givenServiceName(config), serviceName);
        List<String> exporters = config.getList("otel.traces.exporter");
        if (exporters.contains("otlp")) {
            log.info(
                    "traces on: exporter={} endpoint={} service={}",
                    String.join(",", exporters),
                    otlpTracesEndpoint(config),
                    service);
        } else {
            log.info("traces on: exporter={} service={}", String.join(",", exporters), service);
        }
        return new JarTelemetry(sdk, sdk);
    }

    /** What the broker is given: the SDK, or a no-op. */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** Whether an SDK was built (traces are exported somewhere). */
    public boolean exporting() {
        return sdk != null;
    }

    /** Exports the spans still buffered (waiting up to a few seconds) and stops the SDK. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** {@code -Dname} when given, else the variable {@code NAME} (dots as underscores), else {@code fallback}. */
    private static String setting(Map<String, String> env, String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(property.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** {@code env}'s {@code OTEL_*} variables under their property names ({@code otel.service.name}). */
    static Map<String, String> otelProperties(Map<String, String> env) {
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /** Refuses OTLP over gRPC, which needs a sender the jar leaves out, in words an operator can act on. */
    private static void requireHttp(ConfigProperties config) {
        if (!config.getList("otel.traces.exporter").contains("otlp")) {
            return;
        }
        String protocol =
                config.getString("otel.exporter.otlp.traces.protocol", config.getString("otel.exporter.otlp.protocol"));
        if (!HTTP_PROTOBUF.equals(protocol)) {
            throw new ConfigurationException("OTLP protocol '" + protocol
                    + "' is not supported by relax-broker.jar: it exports OTLP over HTTP only"
                    + " (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, port 4318)");
        }
    }

    /** The service name the operator gave: {@code OTEL_SERVICE_NAME}, else in {@code OTEL_RESOURCE_ATTRIBUTES}. */
    private static String givenServiceName(ConfigProperties config) {
        String name = config.getString("otel.service.name");
        return name != null ? name : config.getMap("otel.resource.attributes").get("service.name");
    }

    /**
     * Where OTLP spans go, as the SDK resolves it for HTTP: the traces endpoint as given, else the base
     * endpoint plus {@code /v1/traces}. Only scheme, host, port and path: a user or query part could hold
     * a credential.
     */
    static String otlpTracesEndpoint(ConfigProperties config) {
        String endpoint = config.getString("otel.exporter.otlp.traces.endpoint");
        if (endpoint == null) {
            String base = config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318");
            endpoint = base + (base.endsWith("/") ? "" : "/") + "v1/traces";
        }
        try {
            URI uri = new URI(endpoint);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "(malformed)";
        }
    }
}
