package dev.relax.testkit.internal;

/** Ends a Web API method with {@code {"ok":false,"error":"<error>"}} and HTTP 200, as Slack answers. */
public final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    private final String error;

    public ApiError(String error) {
        super(error, null, false, false);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
