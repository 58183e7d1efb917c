/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal;

import java.io.IOException;
import java.util.List;

/**
 * {@code execv(2)}, which replaces this process with another program: the JDK has it only through its
 * foreign function API, final since JDK 22. This is the JDK 21 class, which cannot; the jar carries a
 * JDK 22 one (src/main/java22, a multi-release layer) that the JVM picks when it is 22 or newer.
 */
final class NativeExec {
    private NativeExec() {}

    static boolean available() {
        return false;
    }

    static void execv(String path, List<String> argv) throws IOException {
        throw new IOException("execv needs JDK 22 or newer");
    }
}
