/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.client.RelaxClient;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** What a test method's parameters get when the extension was not built with what they need. */
class SlackSimulatorExtensionTest {
    @SuppressWarnings("unused")
    static void aTest(TestBroker broker, EmbeddedRedis redis, RelaxClient client) {}

    @Test
    void aBrokerParameterWithoutWithBrokerSaysWhatToAdd() {
        SlackSimulatorExtension extension = SlackSimulatorExtension.create();
        ParameterContext broker = parameter(0);

        assertThat(extension.supportsParameter(broker, null)).isTrue();
        assertThatThrownBy(() -> extension.resolveParameter(broker, null))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageEndingWith("of type TestBroker in aTest: build the extension with withBroker(), e.g. "
                        + "SlackSimulatorExtension.create().withBroker()");
    }

    @Test
    void aRedisParameterWithoutWithRedisSaysWhatToAdd() {
        SlackSimulatorExtension extension = SlackSimulatorExtension.create();
        ParameterContext redis = parameter(1);

        assertThat(extension.supportsParameter(redis, null)).isTrue();
        assertThatThrownBy(() -> extension.resolveParameter(redis, null))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageEndingWith("of type EmbeddedRedis in aTest: build the extension with withRedis() (or "
                        + "withBroker()), e.g. SlackSimulatorExtension.create().withRedis()");
    }

    @Test
    void aRelaxClientParameterIsLeftToOtherResolversWithoutABroker() {
        assertThat(SlackSimulatorExtension.create().supportsParameter(parameter(2), null))
                .isFalse();
        assertThat(SlackSimulatorExtension.create().withBroker().supportsParameter(parameter(2), null))
                .isTrue();
    }

    private static ParameterContext parameter(int index) {
        Method method;
        try {
            method = SlackSimulatorExtensionTest.class.getDeclaredMethod(
                    "aTest", TestBroker.class, EmbeddedRedis.class, RelaxClient.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        Parameter parameter = method.getParameters()[index];
        return new ParameterContext() {
            @Override
            public Parameter getParameter() {
                return parameter;
            }

            @Override
            public int getIndex() {
                return index;
            }

            @Override
            public Optional<Object> getTarget() {
                return Optional.empty();
            }

            @Override
            public Executable getDeclaringExecutable() {
                return method;
            }

            @Override
            public boolean isAnnotated(Class<? extends java.lang.annotation.Annotation> type) {
                return parameter.isAnnotationPresent(type);
            }

            @Override
            public <A extends java.lang.annotation.Annotation> Optional<A> findAnnotation(Class<A> type) {
                return Optional.ofNullable(parameter.getAnnotation(type));
            }

            @Override
            public <A extends java.lang.annotation.Annotation> java.util.List<A> findRepeatableAnnotations(
                    Class<A> type) {
                return java.util.List.of(parameter.getAnnotationsByType(type));
            }
        };
    }
}
