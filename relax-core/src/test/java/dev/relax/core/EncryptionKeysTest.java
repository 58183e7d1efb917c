/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class EncryptionKeysTest {
    private static final String K1 = Base64.getEncoder().encodeToString(bytes(1));
    private static final String K2 = Base64.getEncoder().encodeToString(bytes(2));
    private static final String PLACE = "installation A1:T1 bot_token";

    private static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return key;
    }

    @Test
    void sealedValuesOpenToTheSecretAndNeverContainIt() {
        EncryptionKeys keys = EncryptionKeys.parse("k1:" + K1, "RELAX_ENCRYPTION_KEYS");

        String sealed = keys.seal(Secret.of("xoxb-1-very-secret"), PLACE);

        assertThat(sealed).startsWith("enc:v1:k1:").doesNotContain("very-secret");
        assertThat(keys.open(sealed, PLACE).reveal()).isEqualTo("xoxb-1-very-secret");
        assertThat(keys.seal(Secret.of("xoxb-1-very-secret"), PLACE))
                .as("a fresh nonce each time")
                .isNotEqualTo(sealed);
        assertThat(EncryptionKeys.keyIdOf(sealed)).isEqualTo("k1");
    }

    @Test
    void plainTextIsReadAsItIsAndResealedWhenKeysExist() {
        EncryptionKeys keys = EncryptionKeys.parse("k1:" + K1, "RELAX_ENCRYPTION_KEYS");

        assertThat(keys.open("xoxb-plain", PLACE).reveal()).isEqualTo("xoxb-plain");
        assertThat(keys.needsResealing("xoxb-plain")).isTrue();
        assertThat(keys.needsResealing(keys.seal(Secret.of("xoxb-plain"), PLACE)))
                .isFalse();
        assertThat(EncryptionKeys.none().seal(Secret.of("xoxb-plain"), PLACE)).isEqualTo("xoxb-plain");
        assertThat(keys.seal(Secret.of(""), PLACE)).isEmpty();
    }

    @Test
    void theFirstKeyEncryptsAndEveryKeyDecrypts() {
        EncryptionKeys old = EncryptionKeys.parse("k1:" + K1, "RELAX_ENCRYPTION_KEYS");
        EncryptionKeys rotated = EncryptionKeys.parse("k2:" + K2 + ",k1:" + K1, "RELAX_ENCRYPTION_KEYS");
        String underK1 = old.seal(Secret.of("xoxb-1-rotate-me"), PLACE);

        assertThat(rotated.open(underK1, PLACE).reveal()).isEqualTo("xoxb-1-rotate-me");
        assertThat(rotated.needsResealing(underK1)).isTrue();
        String underK2 = rotated.seal(Secret.of("xoxb-1-rotate-me"), PLACE);
        assertThat(underK2).startsWith("enc:v1:k2:");
        assertThat(rotated.ids()).containsExactly("k2", "k1");
    }

    @Test
    void aMissingKeyNamesThePlaceAndTheKeysButNoSecret() {
        String sealed = EncryptionKeys.parse("k1:" + K1, "X").seal(Secret.of("xoxb-1-very-secret"), PLACE);

        assertThatThrownBy(() -> EncryptionKeys.parse("k2:" + K2, "X").open(sealed, PLACE))
                .isInstanceOf(RelaxException.class)
                .hasMessage("cannot decrypt the installation A1:T1 bot_token: it was encrypted under key k1, which is"
                        + " not in RELAX_ENCRYPTION_KEYS (it has k2)");
        assertThatThrownBy(() -> EncryptionKeys.none().open(sealed, PLACE))
                .hasMessage("cannot decrypt the installation A1:T1 bot_token: it was encrypted under key k1, and"
                        + " RELAX_ENCRYPTION_KEYS is not set");
    }

    @Test
    void aTamperedValueAWrongKeyOfTheSameIdAndAValueCopiedElsewhereFail() {
        EncryptionKeys keys = EncryptionKeys.parse("k1:" + K1, "X");
        String sealed = keys.seal(Secret.of("xoxb-1-very-secret"), PLACE);
        String prefix = "enc:v1:k1:";
        byte[] data = Base64.getDecoder().decode(sealed.substring(prefix.length()));
        data[14] ^= 0x01; // a ciphertext bit past the 12-byte nonce; a base64 character may stand for padding bits only
        String tampered = prefix + Base64.getEncoder().encodeToString(data);
        String expected = "cannot decrypt the installation A1:T1 bot_token with key k1: the value was altered, copied"
                + " from another place, or encrypted under another key named k1";

        assertThatThrownBy(() -> keys.open(tampered, PLACE)).hasMessage(expected);
        assertThatThrownBy(() -> EncryptionKeys.parse("k1:" + K2, "X").open(sealed, PLACE))
                .hasMessage(expected);
        assertThatThrownBy(() -> keys.open(sealed, "installation A1:T2 bot_token"))
                .hasMessageStartingWith("cannot decrypt the installation A1:T2 bot_token with key k1");
        assertThatThrownBy(() -> keys.open("enc:v1:k1:AAAA", PLACE))
                .hasMessage("cannot decrypt the installation A1:T1 bot_token: the stored value is cut short or not"
                        + " base64");
    }

    @Test
    void badKeysAreRefusedWithoutShowingThem() {
        assertThatThrownBy(
                        () -> EncryptionKeys.parse("k1:" + Base64.getEncoder().encodeToString(new byte[16]), "E"))
                .hasMessage("E key k1 must be 32 bytes (AES-256; `openssl rand -base64 32` makes one), was 16");
        assertThatThrownBy(() -> EncryptionKeys.parse(K1, "E"))
                .hasMessage("E must be a list of id:base64key, each id 1-32 letters, digits, '_', '.' or '-'; entry 1"
                        + " has no id (its value is not shown: it may be a key)");
        assertThatThrownBy(() -> EncryptionKeys.parse(K1 + ":k1", "E"))
                .message()
                .doesNotContain(K1.substring(0, 10));
        assertThatThrownBy(() -> EncryptionKeys.parse("k1:not*base64", "E"))
                .hasMessage("E key k1 is not base64 (its value is not shown)");
        assertThatThrownBy(() -> EncryptionKeys.parse("k1:" + K1 + ",k1:" + K2, "E"))
                .hasMessage("E names key k1 twice");
    }

    @Test
    void toStringShowsKeyIdsOnly() {
        EncryptionKeys keys = EncryptionKeys.parse("k2:" + K2 + " k1:" + K1, "E");

        assertThat(keys.toString()).isEqualTo("EncryptionKeys[k2, k1]");
        assertThat(EncryptionKeys.none().toString()).isEqualTo("EncryptionKeys[none]");
        assertThat(EncryptionKeys.parse(keys.spec(), "E").ids()).containsExactly("k2", "k1");
    }
}
