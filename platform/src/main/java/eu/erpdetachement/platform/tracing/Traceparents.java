package eu.erpdetachement.platform.tracing;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import reactor.util.context.ContextView;

/**
 * The W3C {@code traceparent} of the span a reactive chain runs under, read from its Reactor
 * context (where WebFlux keeps the request's observation). With limited context propagation the
 * span is not in a thread local outside {@code handle}/{@code tap}: it is restored here for the
 * moment of the read only.
 */
public class Traceparents {

    public static final String HEADER = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;
    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

    public Traceparents(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The traceparent of the current span of {@code context}, or null when there is none. */
    public String of(ContextView context) {
        if (tracer == null || propagator == null) {
            return null;
        }
        try (ContextSnapshot.Scope scope = snapshots.setThreadLocalsFrom(context)) {
            Span span = tracer.currentSpan();
            if (span == null) {
                return null;
            }
            Map<String, String> carrier = new HashMap<>();
            propagator.inject(span.context(), carrier, Map::put);
            return carrier.get(HEADER);
        }
    }
}
