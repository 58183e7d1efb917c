/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The golden cases captured from the Go broker ({@code relax-core/src/test/resources/golden/go-broker-rtm-events.jsonl}, with
 * its README): Slack RTM frames paired with the exact event the Go broker pushed. Shared with
 * other modules' tests through relax-core's test-jar.
 */
public final class Golden {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Golden() {}

    /**
     * One case.
     *
     * @param slackFrame the frame as sent on the socket, or null when the event comes from rtm.start itself
     * @param relaxEventRaw the exact string the Go broker pushed, or null when it pushed nothing
     */
    public record Case(
            String name,
            JsonNode registration,
            String registrationField,
            JsonNode rtmStart,
            Map<String, String> env,
            String slackFrame,
            String relaxEventRaw,
            JsonNode relaxEvent,
            List<String> generatedFields) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Case> cases() {
        var in = Objects.requireNonNull(
                Golden.class.getResourceAsStream("/golden/go-broker-rtm-events.jsonl"), "golden file on classpath");
        List<Case> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(parse(MAPPER.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static Case named(String name) {
        return cases().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no golden case " + name));
    }

    private static Case parse(JsonNode n) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        n.path("env")
                .fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        List<String> generated = new ArrayList<>();
        n.path("generated_fields").forEach(f -> generated.add(f.asText()));
        JsonNode frame = n.get("slack_frame");
        JsonNode raw = n.get("relax_event_raw");
        return new Case(
                n.get("case").asText(),
                n.get("registration"),
                n.get("registration_field").asText(),
                n.get("rtm_start"),
                env,
                frame == null || frame.isNull() ? null : MAPPER.writeValueAsString(frame),
                raw == null || raw.isNull() ? null : raw.asText(),
                n.get("relax_event") == null || n.get("relax_event").isNull() ? null : n.get("relax_event"),
                generated);
    }
}
