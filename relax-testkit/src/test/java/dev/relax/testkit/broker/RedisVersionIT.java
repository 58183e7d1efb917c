/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relax.broker.RelaxBroker;
import dev.relax.client.RelaxClient;
import dev.relax.core.RedisAddress;
import dev.relax.core.RelaxConfig;
import dev.relax.core.RelaxException;
import dev.relax.core.Secret;
import dev.relax.testkit.EmbeddedRedis;
import dev.relax.testkit.TestBroker;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relax needs Redis 6.2 (BLMOVE for consumers, XAUTOCLAIM for the calls stream): on an older server the
 * broker and the consumer refuse at once, saying so, instead of failing later in a loop.
 */
class RedisVersionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "hunterS3CRET";

    /**
     * The least of a Redis 6.0 that Lettuce connects to: HELLO is refused (so Lettuce falls back to RESP2),
     * AUTH and PING succeed, INFO says 6.0.16, and every other command is unknown.
     */
    private static final class OldRedis implements AutoCloseable {
        private final ServerSocket server;
        final List<String> commands = new CopyOnWriteArrayList<>();

        OldRedis() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket;
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream()) {
                for (List<String> command = read(in); command != null; command = read(in)) {
                    String name = command.getFirst().toUpperCase(Locale.ROOT);
                    commands.add(name);
                    String reply =
                            switch (name) {
                                case "HELLO" -> "-ERR unknown command 'HELLO'\r\n";
                                case "AUTH", "SELECT" -> "+OK\r\n";
                                case "PING" -> "+PONG\r\n";
                                case "INFO" -> bulk("# Server\r\nredis_version:6.0.16\r\nredis_mode:standalone\r\n");
                                default -> "-ERR unknown command '" + command.getFirst() + "'\r\n";
                            };
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static String bulk(String text) {
            return "$" + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
        }

        /** One RESP command (an array of bulk strings), or null at the end of the stream. */
        private static List<String> read(InputStream in) throws IOException {
            String header = line(in);
            if (header == null) {
                return null;
            }
            int n = Integer.parseInt(header.substring(1));
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int length = Integer.parseInt(line(in).substring(1));
                args.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                in.readNBytes(2);
            }
            return args;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return null;
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static RelaxConfig config(OldRedis redis) {
        return RelaxConfig.builder()
                .keysWithPrefix("oldredis")
                .redis(new RedisAddress("127.0.0.1", redis.port(), "", Secret.of(PASSWORD), 0, false))
                .slackHost("http://127.0.0.1:9")
                .build();
    }

    @Test
    void anEmbeddedBrokerRefusesRedisOlderThan62AndSaysWhy() throws Exception {
        try (OldRedis redis = new OldRedis();
                RelaxBroker broker = RelaxBroker.builder(config(redis))
                        .options(TestBroker.testOptions())
                        .build()
                        .start()) {
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    broker.awaitClose();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            assertThat(waiter.join(WAIT)).as("awaitClose returned").isTrue();
            assertThat(broker.isReady()).isFalse();
            assertThat(broker.failure()).hasValueSatisfying(f -> assertThat(f.getMessage())
                    .contains("6.0.16", "6.2", "BLMOVE", "XAUTOCLAIM", "redis://:****@127.0.0.1:" + redis.port())
                    .doesNotContain(PASSWORD));
            assertThat(redis.commands).doesNotContain("SUBSCRIBE", "EVALSHA", "SCRIPT", "XGROUP", "HGETALL");
        }
    }

    @Test
    void theJarExitsNonZeroWithTheReasonOnStderr(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs)
            throws Exception {
        try (OldRedis redis = new OldRedis()) {
            Map<String, String> env = new HashMap<>(config(redis).toEnv());
            env.put("PORT", "0");
            try (BrokerJar jar = BrokerJar.start(env, logs)) {
                assertThat(jar.exitsWithin(WAIT)).isTrue();
                assertThat(jar.exitValue()).isEqualTo(1);
                assertThat(jar.stderr())
                        .contains("6.0.16", "needs Redis 6.2", "redis://:****@127.0.0.1:" + redis.port())
                        .doesNotContain(PASSWORD);
                assertThat(jar.stdout()).contains("ERROR").doesNotContain(PASSWORD);
            }
        }
    }

    @Test
    void anEventConsumerRefusesToStartOnRedisWithoutBlmove() throws Exception {
        try (OldRedis redis = new OldRedis();
                RelaxClient client = RelaxClient.create(config(redis))) {
            assertThatThrownBy(() -> client.consumer().onAny(e -> {}).start())
                    .isInstanceOf(RelaxException.class)
                    .hasMessageContaining("6.0.16")
                    .hasMessageContaining("BLMOVE")
                    .hasMessageContaining("6.2")
                    .hasMessageNotContaining(PASSWORD);
            assertThat(redis.commands).doesNotContain("BLMOVE", "LRANGE", "SET");
        }
    }

    /**
     * A Redis user of least privilege is often denied INFO (it is in the @dangerous ACL category): the
     * version cannot be checked then, and the broker and the consumer serve anyway.
     */
    @Test
    void aRedisUserDeniedInfoIsServedWithoutTheVersionCheck() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            redis.commands()
                    .aclSetuser(
                            "relax",
                            io.lettuce.core.AclSetuserArgs.Builder.on()
                                    .addPassword(PASSWORD)
                                    .allKeys()
                                    .allChannels()
                                    .allCommands()
                                    .removeCommand(io.lettuce.core.protocol.CommandType.INFO));
            RelaxConfig config = RelaxConfig.builder()
                    .keysWithPrefix("noinfo")
                    .redis(new RedisAddress("127.0.0.1", redis.port(), "relax", Secret.of(PASSWORD), 0, false))
                    .slackHost("http://127.0.0.1:9")
                    .build();
            try (RelaxBroker broker = RelaxBroker.builder(config)
                            .options(TestBroker.testOptions())
                            .build()
                            .start();
                    RelaxClient client = RelaxClient.create(config)) {
                org.awaitility.Awaitility.await().atMost(WAIT).until(broker::isReady);
                var consumer = client.consumer().onAny(e -> {}).start();
                consumer.stop(Duration.ofSeconds(1));
                assertThat(broker.failure()).isEmpty();
            }
        }
    }
}
