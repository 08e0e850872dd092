package eu.erpdetachement.platform.problem;

import java.net.URI;

import org.springframework.http.HttpStatus;

/** The problem types this API answers with; each maps to one status and a stable type URI. */
public enum ProblemType {
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "malformed-request", "The request could not be read"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication is required"),
    INVALID_CREDENTIALS(HttpStatus.UNAUTHORIZED, "invalid-credentials", "Invalid credentials"),
    INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "invalid-token", "The token is invalid or expired"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Not allowed for this role"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Resource not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),
    CONFLICT(HttpStatus.CONFLICT, "conflict", "The request conflicts with the current state"),
    PRECONDITION_FAILED(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "The resource has changed"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported content type"),
    VALIDATION_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "validation-failed", "The request is not valid"),
    PRECONDITION_REQUIRED(HttpStatus.PRECONDITION_REQUIRED, "precondition-required", "A precondition header is required"),
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many requests"),
    UPSTREAM_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "A service is unavailable"),
    UPSTREAM_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "upstream-timeout", "A service did not answer in time"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Unexpected error");

    private static final String BASE = "https://erp-detachement.eu/problems/";

    private final HttpStatus status;
    private final String slug;
    private final String title;

    ProblemType(HttpStatus status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    /** The type to use for an HTTP status raised by the framework itself (404, 405, ...). */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status.value() == status && type != INVALID_CREDENTIALS && type != INVALID_TOKEN) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : MALFORMED_REQUEST;
    }
}
