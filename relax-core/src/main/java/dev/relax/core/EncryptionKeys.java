/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that encrypt the secrets Relax stores in Redis ({@code RELAX_ENCRYPTION_KEYS}): a list of
 * {@code id:base64key}, each key 32 bytes (AES-256). The first encrypts; every one decrypts, so a new key
 * is rolled out by putting it first, re-encrypting ({@code java -jar relax-broker.jar reencrypt}), then
 * dropping the old one.
 *
 * <p>A sealed value is {@code enc:v1:<key id>:<base64 of nonce, ciphertext and tag>}: AES-256-GCM with a
 * random 96-bit nonce, and the value's place in Redis (such as {@code installation A1:T1 bot_token}) as
 * associated data, so that a value copied to another field or installation does not decrypt. Anything
 * else is plain text, written by an older version or by hand, and read as it is (it is encrypted the next
 * time it is written, or by {@code reencrypt}).
 *
 * <p>Errors name the place of the value and the key ids, never a key or a secret. Immutable and thread-safe.
 */
public final class EncryptionKeys {
    /** What every sealed value starts with; the version is the format's. */
    public static final String PREFIX = "enc:v1:";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final EncryptionKeys NONE = new EncryptionKeys(new LinkedHashMap<>());

    /** By id, the first the one that encrypts. */
    private final Map<String, SecretKey> keys;

    private EncryptionKeys(Map<String, SecretKey> keys) {
        this.keys = keys;
    }

    /** No keys: secrets are written in plain text, and sealed ones cannot be read. */
    public static EncryptionKeys none() {
        return NONE;
    }

    /**
     * Reads {@code id:base64key[,id:base64key…]} (commas or white space between entries); {@code setting}
     * names the source in errors, which never show a key.
     */
    public static EncryptionKeys parse(String spec, String setting) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String entry : spec.strip().split("[,\\s]+")) {
            int colon = entry.indexOf(':');
            String id = colon < 0 ? "" : entry.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw RelaxException.badSetting(
                        setting,
                        "must be a list of id:base64key, each id 1-32 letters, digits, '_', '.' or '-'; entry "
                                + (keys.size() + 1) + " has " + (colon < 0 ? "no id" : "an id that is not one")
                                + " (its value is not shown: it may be a key)");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw RelaxException.badSetting(setting, "key " + id + " is not base64 (its value is not shown)");
            }
            if (key.length != KEY_BYTES) {
                throw RelaxException.badSetting(
                        setting,
                        "key " + id + " must be 32 bytes (AES-256; `openssl rand -base64 32` makes one), was "
                                + key.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                throw RelaxException.badSetting(setting, "names key " + id + " twice");
            }
        }
        return new EncryptionKeys(keys);
    }

    /** The keys as {@link #parse} reads them: for the environment of a process this one starts. */
    String spec() {
        List<String> entries = new ArrayList<>();
        keys.forEach((id, key) -> entries.add(id + ":" + Base64.getEncoder().encodeToString(key.getEncoded())));
        return String.join(",", entries);
    }

    /** Whether there is a key: then {@link #seal} encrypts. */
    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The ids of the keys, the encrypting one first. */
    public List<String> ids() {
        return List.copyOf(keys.keySet());
    }

    /** Whether {@code stored} is a sealed value (of this format, under any key). */
    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** The id of the key {@code stored} was sealed under, or empty for plain text. */
    public static String keyIdOf(String stored) {
        if (!isSealed(stored)) {
            return "";
        }
        int end = stored.indexOf(':', PREFIX.length());
        return end < 0 ? "" : stored.substring(PREFIX.length(), end);
    }

    /**
     * {@code secret} sealed under the first key, bound to {@code place} (where it is stored, such as {@code
     * app A1 app_token}); the empty secret stays empty, and without keys the secret is returned as it is.
     */
    public String seal(Secret secret, String place) {
        String plain = secret.reveal();
        if (plain.isEmpty() || keys.isEmpty()) {
            return plain;
        }
        Map.Entry<String, SecretKey> key = keys.entrySet().iterator().next();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.getValue(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(key.getKey(), place));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return PREFIX + key.getKey() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new RelaxException(
                    "cannot encrypt the " + place + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * The secret in {@code stored}, which was sealed for {@code place}, or {@code stored} itself when it is
     * plain text.
     *
     * @throws RelaxException naming {@code place} and the key ids when the key is missing, the value was
     *     tampered with, or it was sealed for another place or under another key of the same id
     */
    public Secret open(String stored, String place) {
        if (!isSealed(stored)) {
            return Secret.of(stored);
        }
        String id = keyIdOf(stored);
        if (id.isEmpty()) {
            throw new RelaxException("cannot decrypt the " + place + ": the stored value is not in the " + PREFIX
                    + "<key id>:<data> format");
        }
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new RelaxException("cannot decrypt the " + place + ": it was encrypted under key " + id + ", "
                    + (keys.isEmpty()
                            ? "and RELAX_ENCRYPTION_KEYS is not set"
                            : "which is not in RELAX_ENCRYPTION_KEYS (it has " + String.join(", ", keys.keySet())
                                    + ")"));
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(stored.substring(PREFIX.length() + id.length() + 1));
        } catch (IllegalArgumentException e) {
            data = new byte[0];
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new RelaxException("cannot decrypt the " + place + ": the stored value is cut short or not base64");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(id, place));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return Secret.of(new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            throw new RelaxException("cannot decrypt the " + place + " with key " + id
                    + ": the value was altered, copied from another place, or encrypted under another key named "
                    + id);
        } catch (GeneralSecurityException e) {
            throw new RelaxException(
                    "cannot decrypt the " + place + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Whether {@code stored} would be written differently now: plain with a key, or sealed under an older key. */
    public boolean needsResealing(String stored) {
        if (stored == null || stored.isEmpty() || keys.isEmpty()) {
            return false;
        }
        return !keyIdOf(stored).equals(keys.keySet().iterator().next());
    }

    private static byte[] associatedData(String keyId, String place) {
        return ("relax:v1:" + keyId + ":" + place).getBytes(StandardCharsets.UTF_8);
    }

    /** The key ids only. */
    @Override
    public String toString() {
        return keys.isEmpty() ? "EncryptionKeys[none]" : "EncryptionKeys" + new ArrayList<>(keys.keySet());
    }
}
