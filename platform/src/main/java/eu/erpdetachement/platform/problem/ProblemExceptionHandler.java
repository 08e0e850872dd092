package eu.erpdetachement.platform.problem;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerErrorException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

import eu.erpdetachement.platform.logging.RequestLogContext;
import eu.erpdetachement.platform.web.RequestIdWebFilter;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error that reaches the web layer into an RFC 9457 problem. Client mistakes get their 4xx;
 * only a real fault becomes a 500, and its detail never leaks internals.
 */
@Order(-2) // before Spring Boot's default error handler
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final ProblemResponses responses;

    public ProblemExceptionHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        String instance = exchange.getRequest().getPath().value();
        // a 5xx is logged: with the request's ids (this handler runs outside the filters that set them)
        return Mono.deferContextual(context -> responses.write(exchange, RequestLogContext.inContext(context,
                exchange.getResponse().getHeaders().getFirst(RequestIdWebFilter.HEADER), () -> toProblem(ex, instance))));
    }

    ProblemDetail toProblem(Throwable ex, String instance) {
        if (ex instanceof ProblemException problem) {
            return ProblemResponses.body(problem, instance);
        }
        if (ex instanceof WebExchangeBindException bind) {
            List<FieldError> errors = bind.getFieldErrors().stream()
                    .map(e -> new FieldError(JsonNames.snakeCase(e.getField()), e.getDefaultMessage()))
                    .collect(Collectors.toList());
            bind.getGlobalErrors().forEach(e -> errors.add(new FieldError(null, e.getDefaultMessage())));
            return problem(ProblemType.VALIDATION_FAILED, "The request is not valid.", instance, errors);
        }
        if (causedBy(ex, DataBufferLimitException.class)) {
            return problem(ProblemType.PAYLOAD_TOO_LARGE, "The request body exceeds the allowed size.", instance, List.of());
        }
        if (ex instanceof UnsupportedMediaTypeStatusException unsupported) {
            return problem(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Content type " + unsupported.getContentType() + " is not supported here.", instance, List.of());
        }
        if (ex instanceof ServerWebInputException input) {
            return inputProblem(input, instance);
        }
        if (ex instanceof NotAcceptableStatusException) {
            return problem(ProblemType.NOT_ACCEPTABLE, "No acceptable representation.", instance, List.of());
        }
        if (ex instanceof MethodNotAllowedException) {
            return problem(ProblemType.METHOD_NOT_ALLOWED, ex.getMessage(), instance, List.of());
        }
        if (ex instanceof ServerErrorException serverError && isPathVariable(serverError.getMethodParameter())) {
            // an empty path segment ("/v1/files/:complete") binds no id: the client's path, not our fault
            return problem(ProblemType.MALFORMED_REQUEST, "The path names no "
                    + pathVariableName(serverError.getMethodParameter()) + ".", instance, List.of());
        }
        if (ex instanceof ResponseStatusException status) {
            ProblemType type = ProblemType.forStatus(status.getStatusCode().value());
            if (type == ProblemType.NOT_FOUND) {
                // the framework's reason names the request URL as this service saw it (an internal address)
                return problem(type, "No resource at this path.", instance, List.of());
            }
            String detail = status.getReason() != null ? status.getReason() : type.title() + ".";
            return problem(type, detail, instance, List.of());
        }
        if (ex instanceof AuthenticationException) {
            return problem(ProblemType.UNAUTHENTICATED, "Authentication is required.", instance, List.of());
        }
        if (ex instanceof AccessDeniedException) {
            return problem(ProblemType.FORBIDDEN, "Not allowed for this role.", instance, List.of());
        }
        String sqlState = R2dbcStates.PRESENT ? R2dbcStates.sqlState(ex) : null;
        if (sqlState == null) {
            java.sql.SQLException jdbc = cause(ex, java.sql.SQLException.class); // JDBC's (decision 0044)
            sqlState = jdbc != null ? jdbc.getSQLState() : null;
        }
        if (sqlState != null && sqlState.startsWith("22")) {
            // a data exception (value too long, character the database cannot store, number out of range):
            // a value the request validation should have refused; the transaction is rolled back
            log.warn("Input refused by the database on {} (SQLSTATE {}): validation missed it", instance, sqlState);
            return problem(ProblemType.VALIDATION_FAILED, "A value of the request cannot be stored.", instance, List.of());
        }
        if (sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"))) {
            // the database cannot be reached, or went away (a connection failure, a shutdown, a fail-over)
            log.warn("Database unavailable on {} (SQLSTATE {}): {}", instance, sqlState, ex.toString());
            return problem(ProblemType.UPSTREAM_UNAVAILABLE, "A service this request needs is unavailable.", instance, List.of());
        }
        if (causedBy(ex, ConnectException.class)) {
            return problem(ProblemType.UPSTREAM_UNAVAILABLE, "A service this request needs is unavailable.", instance, List.of());
        }
        if (causedBy(ex, TimeoutException.class)) {
            log.warn("Timed out on {}: {}", instance, ex.toString());
            return problem(ProblemType.UPSTREAM_TIMEOUT, "A service this request needs did not answer in time.", instance, List.of());
        }
        log.error("Unexpected error on {}", instance, ex);
        return problem(ProblemType.INTERNAL, "An unexpected error occurred.", instance, List.of());
    }

    private ProblemDetail inputProblem(ServerWebInputException input, String instance) {
        UnrecognizedPropertyException unknown = cause(input, UnrecognizedPropertyException.class);
        if (unknown != null) {
            return problem(ProblemType.VALIDATION_FAILED, "The request is not valid.", instance,
                    List.of(new FieldError(path(unknown), "unknown field")));
        }
        MismatchedInputException mismatch = cause(input, MismatchedInputException.class);
        if (mismatch != null && !mismatch.getPath().isEmpty()) {
            String message = mismatch instanceof InvalidFormatException ? "invalid value" : "wrong type";
            return problem(ProblemType.VALIDATION_FAILED, "The request is not valid.", instance,
                    List.of(new FieldError(path(mismatch), message)));
        }
        InputCoercionException outOfRange = cause(input, InputCoercionException.class);
        if (outOfRange != null && !outOfRange.getPath().isEmpty()) {
            return problem(ProblemType.VALIDATION_FAILED, "The request is not valid.", instance,
                    List.of(new FieldError(path(outOfRange), "number out of range")));
        }
        if (cause(input, StreamReadException.class) != null || cause(input, JacksonException.class) != null) {
            return problem(ProblemType.MALFORMED_REQUEST, "The body is not valid JSON.", instance, List.of());
        }
        if (input.getMethodParameter() != null && input.getReason() != null) {
            return problem(ProblemType.MALFORMED_REQUEST, input.getReason(), instance, List.of());
        }
        return problem(ProblemType.MALFORMED_REQUEST,
                input.getReason() != null ? input.getReason() : "The request could not be read.", instance, List.of());
    }

    private static boolean isPathVariable(MethodParameter parameter) {
        return parameter != null && parameter.hasParameterAnnotation(PathVariable.class);
    }

    private static String pathVariableName(MethodParameter parameter) {
        PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
        String name = variable == null ? null : !variable.name().isEmpty() ? variable.name()
                : !variable.value().isEmpty() ? variable.value() : parameter.getParameterName();
        return name != null ? name : "resource";
    }

    /** SQLSTATEs of R2DBC errors; only touched when R2DBC is on the classpath (not in the gateway). */
    private static final class R2dbcStates {

        static final boolean PRESENT = ClassUtils.isPresent("io.r2dbc.spi.R2dbcException", ProblemExceptionHandler.class.getClassLoader());

        static String sqlState(Throwable ex) {
            io.r2dbc.spi.R2dbcException r2dbc = cause(ex, io.r2dbc.spi.R2dbcException.class);
            return r2dbc != null ? r2dbc.getSqlState() : null;
        }
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static ProblemDetail problem(ProblemType type, String detail, String instance, List<FieldError> errors) {
        return ProblemResponses.body(type, detail, instance, errors, Map.of());
    }

    private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
        return cause(ex, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
