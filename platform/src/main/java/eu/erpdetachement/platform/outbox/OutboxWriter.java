package eu.erpdetachement.platform.outbox;

import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;

import eu.erpdetachement.platform.tracing.Traceparents;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends an event to the service's own {@code outbox} table. Call it inside the transaction that
 * makes the change: both commit or neither does. The relay publishes the row to Kafka, with the
 * row's {@code traceparent} as the record's header.
 */
public class OutboxWriter {

    private static final String INSERT = """
            INSERT INTO outbox (id, aggregatetype, aggregateid, type, tenant_id, payload, occurred_at, traceparent)
            VALUES (:id, :aggregatetype, :aggregateid, :type, :tenant_id, CAST(:payload AS jsonb), :occurred_at, :traceparent)
            """;

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Traceparents traceparents;

    public OutboxWriter(DatabaseClient db, JsonMapper json, Traceparents traceparents) {
        this.db = db;
        this.json = json;
        this.traceparents = traceparents;
    }

    /** Appends the event with the trace context of the request that made the change (decision 0021), if any. */
    public Mono<Void> append(OutboxEvent event) {
        return Mono.deferContextual(context -> append(event, traceparents.of(context)));
    }

    private Mono<Void> append(OutboxEvent event, String traceparent) {
        var insert = db.sql(INSERT)
                .bind("id", event.id())
                .bind("aggregatetype", event.aggregateType())
                .bind("aggregateid", event.aggregateId())
                .bind("type", event.type())
                .bind("tenant_id", event.tenantId())
                .bind("payload", json.writeValueAsString(event.payload()))
                .bind("occurred_at", event.occurredAt().atOffset(ZoneOffset.UTC));
        return (traceparent == null ? insert.bindNull("traceparent", String.class) : insert.bind("traceparent", traceparent))
                .then();
    }
}
