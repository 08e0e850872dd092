package eu.erpdetachement.platform.outbox;

import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

import eu.erpdetachement.platform.jdbc.RequestScope;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link OutboxWriter} for units of work on JDBC (decision 0044): the same rows, in the same one
 * statement, written through the unit's thread-bound transaction. Call it inside the transaction
 * that makes the change.
 */
public class JdbcOutbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public JdbcOutbox(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * A change of the service's own tables that its events can ride with: one data-modifying
     * statement without RETURNING, and its named parameters (none {@code traceparent} or ending in a
     * digit).
     */
    public record Change(String sql, Map<String, Object> parameters) {
    }

    /** Appends the events in one statement, with the request's trace context (decision 0021). */
    public void append(RequestScope scope, OutboxEvent... events) {
        if (events.length > 0) {
            run(null, List.of(events), scope);
        }
    }

    /** Makes the change and appends its events in one statement (decision 0039): the change runs as a data-modifying CTE, which PostgreSQL runs once and to completion whatever the outer INSERT does, and a failure of either fails both. */
    public void appendWith(Change change, RequestScope scope, OutboxEvent... events) {
        if (events.length == 0) {
            jdbc.sql(change.sql()).params(change.parameters()).update();
        } else {
            run(change, List.of(events), scope);
        }
    }

    private void run(Change change, List<OutboxEvent> events, RequestScope scope) {
        String rows = OutboxWriter.rowsStatement(events.size());
        Map<String, Object> parameters = new HashMap<>(change == null ? Map.of() : change.parameters());
        for (int i = 0; i < events.size(); i++) {
            OutboxEvent event = events.get(i);
            parameters.put("id" + i, event.id());
            parameters.put("aggregatetype" + i, event.aggregateType());
            parameters.put("aggregateid" + i, event.aggregateId());
            parameters.put("type" + i, event.type());
            parameters.put("tenant_id" + i, event.tenantId());
            parameters.put("payload" + i, json.writeValueAsString(event.payload()));
            parameters.put("occurred_at" + i, event.occurredAt().atOffset(ZoneOffset.UTC));
        }
        parameters.put("traceparent", scope.traceparent());
        jdbc.sql(change == null ? rows : "WITH change AS (" + change.sql() + ") " + rows).params(parameters).update();
    }
}
