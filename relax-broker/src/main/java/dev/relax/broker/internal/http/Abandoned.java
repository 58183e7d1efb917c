/*
 * Copyright 2026 the Relax for Java authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.relax.broker.internal.http;

import java.io.IOException;

/**
 * Ends a request whose body did not arrive: counted and logged, not answered. Thrown out of the handler, so
 * that the JDK's server closes the connection and forgets it (one closed from the handler only would stay
 * in its books).
 */
final class Abandoned extends IOException {
    final RequestResult result;

    Abandoned(RequestResult result, String reason) {
        super(reason);
        this.result = result;
    }
}
