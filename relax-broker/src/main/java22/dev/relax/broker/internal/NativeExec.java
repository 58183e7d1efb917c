/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code execv(2)} through the JDK's foreign function API (JDK 22+; the jar's manifest grants it with
 * {@code Enable-Native-Access: ALL-UNNAMED}). On success it does not return: the process is the new
 * program, same pid, same environment and open standard streams. Each char of the path and the
 * arguments is written as one byte (ISO-8859-1): they come from /proc/self/cmdline read that way.
 */
final class NativeExec {
    private NativeExec() {}

    static boolean available() {
        return Linker.nativeLinker().defaultLookup().find("execv").isPresent();
    }

    static void execv(String path, List<String> argv) throws IOException {
        Linker linker = Linker.nativeLinker();
        MemorySegment function = linker.defaultLookup()
                .find("execv")
                .orElseThrow(() -> new IOException("this C library has no execv"));
        Linker.Option errno = Linker.Option.captureCallState("errno");
        MethodHandle execv = linker.downcallHandle(
                function,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                errno);
        StructLayout stateLayout = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) {
                pointers.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(argv.get(i), StandardCharsets.ISO_8859_1));
            }
            pointers.setAtIndex(ValueLayout.ADDRESS, argv.size(), MemorySegment.NULL);
            MemorySegment state = arena.allocate(stateLayout);
            int result = (int) execv.invokeExact(state, arena.allocateFrom(path, StandardCharsets.ISO_8859_1), pointers);
            throw new IOException("execv " + path + " returned " + result + ", errno " + errnoHandle.get(state, 0L));
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("execv " + path + ": " + e, e);
        }
    }
}
