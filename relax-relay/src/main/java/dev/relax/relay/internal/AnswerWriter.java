/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.relay.internal;

import dev.relax.client.CallResult;
import dev.relax.client.WebApiCall;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one answer into the thread of its question, as the backend's chunks arrive.
 *
 * <p>Streaming first: the first non-blank text starts a stream at once (chat.startStream: the user sees the
 * answer begin), later chunks are buffered and appended (chat.appendStream) when the buffer reaches {@link
 * AnswerSettings#flushChars()} or {@link AnswerSettings#flushInterval()} has passed since the last call,
 * never one call per chunk; {@link #finish()} stops it (chat.stopStream) with the rest. An answer that is
 * complete before anything was sent (a JSON answer) is one chat.postMessage. When streaming fails (the
 * startStream result is an error such as {@code unknown_method}, {@code missing_scope}, {@code
 * not_allowed_token_type}, or a stream stops accepting text) the answer goes on as a chat.postMessage edited
 * by chat.update at most once per {@link AnswerSettings#updateInterval()}, with a last update at the end.
 * Text beyond a message's limit continues in a new message in the same thread.
 *
 * <p>At most one call is in flight: calls of one channel are made in order by the brokers anyway, and text
 * that arrives meanwhile joins the next call. Time moves through the injected {@link Clock}; the owner calls
 * {@link #tick()} a few times a second so that buffered text goes out when the interval passes without a new
 * chunk. Every method is thread-safe; state is guarded by {@code this}, and call results re-enter under it.
 */
final class AnswerWriter {
    private static final Logger log = LoggerFactory.getLogger(AnswerWriter.class);

    private enum Mode {
        STREAM,
        UPDATE
    }

    private final AnswerTarget target;
    private final SlackCalls slack;
    private final AnswerSettings settings;
    private final Clock clock;
    private final BroadcastFilter broadcasts = new BroadcastFilter();
    private final CompletableFuture<Boolean> done = new CompletableFuture<>();
    /** Told the ts of each message this answer opens (the relay keeps the first, for a takeover). */
    private final Consumer<String> opened;

    private Mode mode = Mode.STREAM;
    /** Text received and not yet sent. */
    private final StringBuilder pending = new StringBuilder();
    /** The text the current message shows (streamed or posted); empty when no message is open. */
    private final StringBuilder shown = new StringBuilder();
    /** The open message's ts: a stream being written, or a posted message being edited; null when none. */
    private String ts;

    private boolean inFlight;
    /** Whether {@link #abandon()} stopped the answer. */
    private boolean abandoned;

    private boolean finishing;
    private String failMessage;
    private Instant lastCall = Instant.MIN;

    AnswerWriter(AnswerTarget target, SlackCalls slack, AnswerSettings settings, Clock clock) {
        this(target, slack, settings, clock, ts -> {});
    }

    /** As above; {@code opened} is told the ts of each message the answer opens, under this writer's lock. */
    AnswerWriter(AnswerTarget target, SlackCalls slack, AnswerSettings settings, Clock clock, Consumer<String> opened) {
        this.opened = Objects.requireNonNull(opened, "opened");
        this.target = Objects.requireNonNull(target, "target");
        this.slack = Objects.requireNonNull(slack, "slack");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The answer begins. Nothing is posted yet: the first text starts the message. {@code streaming} false
     * skips streaming (when the app is known not to have it).
     */
    synchronized void begin(boolean streaming) {
        if (!streaming) {
            mode = Mode.UPDATE;
        }
    }

    /**
     * The answer takes over message {@code openedTs}, which an instance that stopped mid-answer opened:
     * its stream (if it was one) is stopped, and its text is replaced by this answer, edited in with
     * chat.update, so that the user sees one message. Call it before the first {@link #append}.
     */
    synchronized void resume(String openedTs) {
        if (openedTs == null || openedTs.isEmpty()) {
            return;
        }
        mode = Mode.UPDATE;
        ts = openedTs;
        // A stream left open cannot be edited; one already stopped answers message_not_in_streaming_state.
        send("chat.stopStream", Map.of("ts", openedTs), r -> {
            if (!r.ok()) {
                log.debug("stopping the stream of a taken-over answer: ts={} error={}", openedTs, r.error());
            }
        });
    }

    /** Adds a chunk of the answer, as the backend wrote it. */
    synchronized void append(String chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (finishing || chunk.isEmpty()) {
            return;
        }
        pending.append(settings.allowBroadcasts() ? chunk : broadcasts.accept(chunk));
        pump();
    }

    /** The whole answer at once (a JSON answer): added and finished together, so it is one chat.postMessage. */
    synchronized void finishWith(String whole) {
        Objects.requireNonNull(whole, "whole");
        if (!finishing) {
            pending.append(settings.allowBroadcasts() ? whole : broadcasts.accept(whole));
        }
        end(null);
    }

    /** Sends whatever is due by the clock: call it a few times a second while the answer runs. */
    synchronized void tick() {
        pump();
    }

    /** The answer is complete: the rest goes out and the message is finished. */
    synchronized void finish() {
        end(null);
    }

    /**
     * The answer failed: what was written so far is finished, then {@code userMessage} (short, friendly) is
     * posted in the thread.
     */
    synchronized void fail(String userMessage) {
        Objects.requireNonNull(userMessage, "userMessage");
        end(userMessage.isBlank() ? "Sorry, something went wrong." : userMessage);
    }

    /**
     * The answer stops here, as it is: no further call is made (text still pending is dropped) and {@link
     * #done()} completes with {@code true}. For an answer this instance stops writing (it is shutting down,
     * or lost its claim): the instance that takes the question over rewrites the message.
     */
    synchronized void abandon() {
        abandoned = true;
        finishing = true;
        pending.setLength(0);
        failMessage = null;
        done.complete(true);
    }

    /** Whether {@link #abandon()} stopped the answer: whoever takes the question over finishes it. */
    synchronized boolean abandoned() {
        return abandoned;
    }

    /**
     * Completes once the last call is done: {@code true} when the user sees the whole answer (and the error,
     * after {@link #fail}), {@code false} when Slack refused a call the answer could not get around.
     */
    CompletableFuture<Boolean> done() {
        return done;
    }

    private void end(String failure) {
        if (finishing) {
            return;
        }
        finishing = true;
        failMessage = failure;
        if (!settings.allowBroadcasts()) {
            pending.append(broadcasts.end());
        }
        pump();
    }

    /** Decides the next call, if one is due and none is in flight. Runs under {@code this}. */
    private void pump() {
        if (inFlight || done.isDone()) {
            return;
        }
        int limit = mode == Mode.STREAM ? settings.maxStreamChars() : settings.maxMessageChars();
        if (ts != null && pending.length() > limit - shown.length()) {
            closeFullMessage(limit - shown.length());
        } else if (ts == null && hasText()) {
            if (finishing) {
                postWhole();
            } else if (mode == Mode.STREAM) {
                startStream();
            } else {
                postFirst();
            }
        } else if (ts != null && (finishing || isDue())) {
            if (mode == Mode.STREAM) {
                appendOrStop(finishing);
            } else if (!pending.isEmpty()) {
                update(finishing);
            } else {
                closeMessage();
                pump();
            }
        } else if (finishing) {
            if (failMessage != null) {
                postFailure();
            } else {
                done.complete(true);
            }
        }
    }

    private boolean hasText() {
        for (int i = 0; i < pending.length(); i++) {
            if (!Character.isWhitespace(pending.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private boolean isDue() {
        if (pending.isEmpty()) {
            return false;
        }
        if (mode == Mode.UPDATE) {
            return !clock.instant().isBefore(lastCall.plus(settings.updateInterval()));
        }
        return pending.length() >= settings.flushChars()
                || !clock.instant().isBefore(lastCall.plus(settings.flushInterval()));
    }

    private void startStream() {
        String text = take(settings.maxStreamChars());
        Map<String, String> args = threadArgs();
        args.put("markdown_text", text);
        if (!target.userId().isEmpty()) {
            args.put("recipient_user_id", target.userId());
            args.put("recipient_team_id", target.teamId());
        }
        send("chat.startStream", args, r -> {
            if (r.ok()) {
                ts = r.ts();
                shown.append(text);
                opened.accept(ts);
            } else {
                log.info(
                        "Streaming is not available, answering with chat.postMessage and chat.update: team={}"
                                + " channel={} error={}",
                        target.teamId(),
                        target.channel(),
                        r.error());
                mode = Mode.UPDATE;
                pending.insert(0, text);
            }
        });
    }

    private void appendOrStop(boolean stop) {
        String text = take(pending.length());
        Map<String, String> args = new LinkedHashMap<>();
        args.put("ts", ts);
        if (!text.isEmpty() || !stop) {
            args.put("markdown_text", text);
        }
        send(stop ? "chat.stopStream" : "chat.appendStream", args, r -> {
            if (r.ok()) {
                shown.append(text);
                if (stop) {
                    closeMessage();
                }
            } else {
                streamBroke(r, text);
            }
        });
    }

    /** The message is full: finish it with what still fits, the rest goes in a new message. */
    private void closeFullMessage(int room) {
        String text = take(Math.max(0, room));
        if (mode == Mode.STREAM) {
            Map<String, String> args = new LinkedHashMap<>();
            args.put("ts", ts);
            if (!text.isEmpty()) {
                args.put("markdown_text", text);
            }
            send("chat.stopStream", args, r -> {
                if (r.ok()) {
                    closeMessage();
                } else {
                    streamBroke(r, text);
                }
            });
        } else if (text.isEmpty()) {
            closeMessage();
            pump();
        } else {
            String full = shown + text;
            send("chat.update", Map.of("ts", ts, "text", full), r -> {
                if (r.ok()) {
                    closeMessage();
                } else {
                    giveUp(r);
                }
            });
        }
    }

    /** A stream that refuses text (expired, too long, gone): the rest continues in a posted message. */
    private void streamBroke(CallResult r, String unsent) {
        log.info(
                "A stream refused its text, continuing in a new message: team={} channel={} error={}",
                target.teamId(),
                target.channel(),
                r.error());
        mode = Mode.UPDATE;
        pending.insert(0, unsent);
        closeMessage();
    }

    private void postFirst() {
        String text = take(settings.maxMessageChars());
        Map<String, String> args = threadArgs();
        args.put("text", text);
        send("chat.postMessage", args, r -> {
            if (r.ok()) {
                ts = r.ts();
                shown.append(text);
                opened.accept(ts);
            } else {
                giveUp(r);
            }
        });
    }

    /** The answer is complete and no message is open: post it (a part of it, when it is too long) as is. */
    private void postWhole() {
        String text = take(settings.maxMessageChars());
        Map<String, String> args = threadArgs();
        args.put("text", text);
        send("chat.postMessage", args, r -> {
            if (r.ok()) {
                opened.accept(r.ts());
            } else {
                giveUp(r);
            }
        });
    }

    private void update(boolean last) {
        String text = take(pending.length());
        String full = shown + text;
        send("chat.update", Map.of("ts", ts, "text", full), r -> {
            if (r.ok()) {
                shown.append(text);
                if (last) {
                    closeMessage();
                }
            } else {
                giveUp(r);
            }
        });
    }

    private void postFailure() {
        String text = failMessage;
        failMessage = null;
        Map<String, String> args = threadArgs();
        args.put("text", text);
        send("chat.postMessage", args, r -> {
            if (!r.ok()) {
                giveUp(r);
            }
        });
    }

    private void closeMessage() {
        ts = null;
        shown.setLength(0);
    }

    private void giveUp(CallResult r) {
        log.warn(
                "Slack refused the answer, giving it up: team={} channel={} method={} error={}",
                target.teamId(),
                target.channel(),
                r.method(),
                r.error());
        done.complete(false);
    }

    /** Removes and returns up to {@code max} characters of pending text, cut where a reader expects it. */
    private String take(int max) {
        int end = TextCut.at(pending, max);
        String text = pending.substring(0, end);
        pending.delete(0, end);
        return text;
    }

    private Map<String, String> threadArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("thread_ts", target.threadTs());
        return args;
    }

    private void send(String method, Map<String, String> args, Consumer<CallResult> onResult) {
        inFlight = true;
        lastCall = clock.instant();
        WebApiCall call = new WebApiCall(target.appId(), target.teamId(), method, target.channel(), args);
        CompletableFuture<CallResult> result;
        try {
            result = slack.call(call);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((r, e) -> {
            synchronized (this) {
                inFlight = false;
                if (abandoned) {
                    return; // the answer is another instance's (or the next start's) to finish
                }
                try {
                    onResult.accept(
                            e == null
                                    ? r
                                    : new CallResult("", false, method, target.channel(), "", "not_queued", 0, "{}"));
                } catch (RuntimeException failure) {
                    log.warn(
                            "handling the result of {} failed, the answer goes on: team={} channel={} error={}",
                            method,
                            target.teamId(),
                            target.channel(),
                            failure.toString());
                } finally {
                    pump();
                }
            }
        });
    }
}
