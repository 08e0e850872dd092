package eu.erpdetachement.bench.web;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.ResponseEntity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import tools.jackson.databind.JsonNode;

/** The route's request, response and numbering, the same for both stacks. */
final class CheckIns {

    static final String ROUTE = "/v1/missions/{mission_id}/worker-check-events";
    /** The same route with the SQL sent through JDBC on a virtual thread (the reactive app only). */
    static final String ROUTE_ON_JDBC = "/jdbc/missions/{mission_id}/worker-check-events";
    /** The same route without the SQL: what the web stack alone costs. */
    static final String ROUTE_WITHOUT_SQL = "/no-sql/missions/{mission_id}/worker-check-events";

    /** The body of the check-in service's POST (snake_case on the wire, as the services' Jackson set-up). */
    record Request(@NotNull UUID workerId, @NotNull @Pattern(regexp = "check_in|check_out") String eventType,
            @NotNull String occurredAt, @NotNull @Pattern(regexp = "mobile|web|kiosk|badge|manual|api") String source,
            @NotNull JsonNode metadata) {
    }

    /** What the check-in service answers with (201). */
    record Recorded(UUID checkEventId, UUID missionId, UUID workerId, String eventType, OffsetDateTime occurredAt,
            Instant recordedAt, String source, JsonNode metadata, String recordedBy, long sequenceNo, String hash) {
    }

    /**
     * Past the bench's other clients (pgbench draws up to 10¹², section 8 counts from 10¹³): each app a
     * range of its own, so that no two check-ins share a chain.
     */
    private static final AtomicLong NEXT = new AtomicLong(ProcessHandle.current().pid() * 1_000_000_000L + 100_000_000_000_000L);

    static String nextNumber() {
        return Long.toString(NEXT.incrementAndGet());
    }

    static ResponseEntity<Recorded> created(UUID missionId, Request request, String caller, String n) {
        UUID id = UUID.randomUUID();
        Recorded recorded = new Recorded(id, missionId, request.workerId(), request.eventType(),
                OffsetDateTime.parse(request.occurredAt()), Instant.now(), request.source(), request.metadata(), caller, 1,
                Long.toHexString(n.hashCode()));
        return ResponseEntity.created(URI.create("/v1/missions/" + missionId + "/worker-check-events/" + id)).body(recorded);
    }

    private CheckIns() {
    }
}
