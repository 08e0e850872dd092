package eu.erpdetachement.platform.logging;

import java.util.function.Supplier;

import org.slf4j.MDC;

import eu.erpdetachement.platform.web.RequestIdWebFilter;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Puts a request's ids (request id, trace and span ids) into the logging MDC around one log
 * statement, from the Reactor context the request runs under. Automatic context propagation did
 * this around every operator of every request, at a quarter of a service's CPU (decision 0030);
 * with {@code spring.reactor.context-propagation=limited} the code that writes a request's log line
 * restores the ids itself, here.
 */
public final class RequestLogContext {

    private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

    private RequestLogContext() {
    }

    /** Runs {@code logStatement} with the MDC of {@code context}. */
    public static void inContext(ContextView context, Runnable logStatement) {
        try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
            logStatement.run();
        }
    }

    /** The same, as a step of a reactive chain: logs when subscribed, then completes. */
    public static Mono<Void> log(Runnable logStatement) {
        return Mono.deferContextual(context -> {
            inContext(context, logStatement);
            return Mono.empty();
        });
    }

    /**
     * Runs {@code logged} with the MDC of {@code context} and the given request id (for code that
     * runs outside the filter that puts the id in the Reactor context, e.g. an exception handler).
     */
    public static <T> T inContext(ContextView context, String requestId, Supplier<T> logged) {
        try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context);
                MDC.MDCCloseable id = requestId == null ? null : MDC.putCloseable(RequestIdWebFilter.MDC_KEY, requestId)) {
            return logged.get();
        }
    }
}
