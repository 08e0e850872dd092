package eu.erpdetachement.platform.outbox;

import java.time.ZoneOffset;

import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends an event to the service's own {@code outbox} table. Call it inside the transaction that
 * makes the change: both commit or neither does. The relay publishes the row to Kafka.
 */
public class OutboxWriter {

    private static final String INSERT = """
            INSERT INTO outbox (id, aggregatetype, aggregateid, type, tenant_id, payload, occurred_at)
            VALUES (:id, :aggregatetype, :aggregateid, :type, :tenant_id, CAST(:payload AS jsonb), :occurred_at)
            """;

    private final DatabaseClient db;
    private final JsonMapper json;

    public OutboxWriter(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Void> append(OutboxEvent event) {
        return db.sql(INSERT)
                .bind("id", event.id())
                .bind("aggregatetype", event.aggregateType())
                .bind("aggregateid", event.aggregateId())
                .bind("type", event.type())
                .bind("tenant_id", event.tenantId())
                .bind("payload", json.writeValueAsString(event.payload()))
                .bind("occurred_at", event.occurredAt().atOffset(ZoneOffset.UTC))
                .then();
    }
}
