/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.broker.internal.trace.BrokerTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JarTelemetryTest {
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    @Test
    void buildsNoSdkByDefaultSoSpansCarryNoTraceparent() {
        try (JarTelemetry telemetry = JarTelemetry.start(Map.of())) {
            Span span = span(telemetry);

            assertThat(telemetry.exporting()).isFalse();
            assertThat(span.getSpanContext().isValid()).isFalse();
            assertThat(BrokerTracing.traceparent(span)).isNull();
        }
    }

    @Test
    void buildsNoSdkWhenTheSdkIsDisabledWhateverTheExporter() {
        try (JarTelemetry telemetry =
                JarTelemetry.start(Map.of("OTEL_TRACES_EXPORTER", "console", "OTEL_SDK_DISABLED", "true"))) {
            assertThat(telemetry.exporting()).isFalse();
            assertThat(BrokerTracing.traceparent(span(telemetry))).isNull();
        }
    }

    @Test
    void consoleExporterGivesSpansATraceparentAndTheServiceNameRelaxBroker() {
        try (JarTelemetry telemetry = JarTelemetry.start(Map.of("OTEL_TRACES_EXPORTER", "console"))) {
            Span span = span(telemetry);

            assertThat(telemetry.exporting()).isTrue();
            // Sampled (01), with a random trace id (02) as the SDK makes them.
            assertThat(BrokerTracing.traceparent(span)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
            assertThat(serviceName(span)).isEqualTo("relax-broker");
        }
    }

    @Test
    void loggingIsTheConsoleExportersOlderName() {
        try (JarTelemetry telemetry = JarTelemetry.start(Map.of("OTEL_TRACES_EXPORTER", "logging"))) {
            assertThat(telemetry.exporting()).isTrue();
        }
    }

    @Test
    void serviceNameComesFromOtelServiceNameOrTheResourceAttributes() {
        try (JarTelemetry named =
                        JarTelemetry.start(Map.of("OTEL_TRACES_EXPORTER", "console", "OTEL_SERVICE_NAME", "relax-eu"));
                JarTelemetry attributed = JarTelemetry.start(Map.of(
                        "OTEL_TRACES_EXPORTER",
                        "console",
                        "OTEL_RESOURCE_ATTRIBUTES",
                        "service.name=relax-us,deployment.environment=prod"))) {
            assertThat(serviceName(span(named))).isEqualTo("relax-eu");
            Span span = span(attributed);
            assertThat(serviceName(span)).isEqualTo("relax-us");
            assertThat(((ReadableSpan) span)
                            .toSpanData()
                            .getResource()
                            .getAttribute(AttributeKey.stringKey("deployment.environment")))
                    .isEqualTo("prod");
        }
    }

    @Test
    void refusesAnUnknownExporterNamingTheProperty() {
        assertThatThrownBy(() -> JarTelemetry.start(Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("otel.traces.exporter")
                .hasMessageContaining("carrier-pigeon");
    }

    @Test
    void refusesOtlpOverGrpcWhichTheJarDoesNotShip() {
        assertThatThrownBy(() -> JarTelemetry.start(
                        Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("OTLP protocol 'grpc' is not supported by relax-broker.jar: it exports OTLP over HTTP"
                        + " only (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, port 4318)");
    }

    @Test
    void otlpExportsOverHttpByDefault() {
        try (JarTelemetry telemetry = JarTelemetry.start(Map.of("OTEL_TRACES_EXPORTER", "otlp"))) {
            assertThat(telemetry.exporting()).isTrue();
        }
    }

    @Test
    void otlpEndpointIsTheBaseWithV1TracesOrTheTracesEndpointWithoutCredentials() {
        assertThat(JarTelemetry.otlpTracesEndpoint(DefaultConfigProperties.createFromMap(Map.of())))
                .isEqualTo("http://localhost:4318/v1/traces");
        assertThat(JarTelemetry.otlpTracesEndpoint(DefaultConfigProperties.createFromMap(
                        Map.of("otel.exporter.otlp.endpoint", "http://collector:4318/"))))
                .isEqualTo("http://collector:4318/v1/traces");
        assertThat(JarTelemetry.otlpTracesEndpoint(DefaultConfigProperties.createFromMap(Map.of(
                        "otel.exporter.otlp.endpoint",
                        "http://collector:4318",
                        "otel.exporter.otlp.traces.endpoint",
                        "https://user:s3cret@traces.example.com/in?key=s3cret"))))
                .isEqualTo("https://traces.example.com/in");
    }

    private static Span span(JarTelemetry telemetry) {
        return telemetry
                .openTelemetry()
                .getTracer("test")
                .spanBuilder("rtm.connect")
                .startSpan();
    }

    private static String serviceName(Span span) {
        return ((ReadableSpan) span).toSpanData().getResource().getAttribute(SERVICE_NAME);
    }
}
