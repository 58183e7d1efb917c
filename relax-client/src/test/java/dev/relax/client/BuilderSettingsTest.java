package dev.relax.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The settings added for bounded state: checked where they are set, naming the setting and the value. */
class BuilderSettingsTest {
    @Test
    void deadLetterLimitMustKeepAtLeastOneEntry() {
        EventConsumer.Builder consumer = new EventConsumer.Builder(null, "q");

        assertThatThrownBy(() -> consumer.deadLetterLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadLetterLimit must be at least 1, was 0");
        assertThatCode(() -> consumer.deadLetterLimit(1)).doesNotThrowAnyException();
    }
}
