package eu.erpdetachement.platform.outbox;

import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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

    private static final String INSERT =
            "INSERT INTO outbox (id, aggregatetype, aggregateid, type, tenant_id, payload, occurred_at, traceparent) VALUES ";
    private static final String ROW =
            "(:id%1$d, :aggregatetype%1$d, :aggregateid%1$d, :type%1$d, :tenant_id%1$d, CAST(:payload%1$d AS jsonb), :occurred_at%1$d, :traceparent)";
    /** The statement for 1, 2, … rows: one round trip whatever the number of events a change makes. */
    private static final List<String> STATEMENTS = IntStream.rangeClosed(1, 4)
            .mapToObj(OutboxWriter::insertOf).toList();

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Traceparents traceparents;

    public OutboxWriter(DatabaseClient db, JsonMapper json, Traceparents traceparents) {
        this.db = db;
        this.json = json;
        this.traceparents = traceparents;
    }

    /**
     * Appends the events, in one statement, with the trace context of the request that made the
     * change (decision 0021), if any.
     */
    public Mono<Void> append(OutboxEvent... events) {
        if (events.length == 0) {
            return Mono.empty(); // no statement without a row
        }
        return Mono.deferContextual(context -> append(List.of(events), traceparents.of(context)));
    }

    /** The INSERT of {@code rows} outbox rows, its parameters named as {@link #append} binds them. */
    static String rowsStatement(int rows) {
        return rows <= STATEMENTS.size() ? STATEMENTS.get(rows - 1) : insertOf(rows);
    }

    private Mono<Void> append(List<OutboxEvent> events, String traceparent) {
        String rows = rowsStatement(events.size());
        var insert = db.sql(rows);
        for (int i = 0; i < events.size(); i++) {
            OutboxEvent event = events.get(i);
            insert = insert.bind("id" + i, event.id())
                    .bind("aggregatetype" + i, event.aggregateType())
                    .bind("aggregateid" + i, event.aggregateId())
                    .bind("type" + i, event.type())
                    .bind("tenant_id" + i, event.tenantId())
                    .bind("payload" + i, json.writeValueAsString(event.payload()))
                    .bind("occurred_at" + i, event.occurredAt().atOffset(ZoneOffset.UTC));
        }
        return (traceparent == null ? insert.bindNull("traceparent", String.class) : insert.bind("traceparent", traceparent))
                .then();
    }

    private static String insertOf(int rows) {
        return INSERT + IntStream.range(0, rows).mapToObj(ROW::formatted)
                .collect(Collectors.joining(", "));
    }
}
