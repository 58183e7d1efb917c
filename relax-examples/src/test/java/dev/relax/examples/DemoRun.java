/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * What a demo printed on standard output and the status it returned; the output is echoed, so that a
 * failing test shows the run.
 *
 * @param status the demo's return value (0: every step happened)
 * @param out everything it printed
 */
record DemoRun(int status, String out) {
    static DemoRun of(Callable<Integer> demo) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = demo.call();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return new DemoRun(status, out);
    }
}
