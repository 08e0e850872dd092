package eu.erpdetachement.platform.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import eu.erpdetachement.platform.jdbc.RequestScope;
import eu.erpdetachement.platform.outbox.OutboxEvent;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.web.ClientAddressWebFilter;
import eu.erpdetachement.platform.web.RequestIdWebFilter;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Appends an {@code AuditRecorded} event to the service's outbox. Call it inside the transaction
 * that makes the change, like any domain event: the record commits with the change or not at all
 * (decision 0025). The request id and the client's address come from the request's Reactor context.
 * The events go to {@code erp.<service>.audit.v1}, keyed by tenant, and identity's audit ledger
 * chains them per tenant.
 */
public class AuditTrail {

    public static final String EVENT_TYPE = "AuditRecorded";

    private final OutboxWriter outbox;
    private final String service;
    private final Clock clock;

    public AuditTrail(OutboxWriter outbox, String service, Clock clock) {
        this.outbox = outbox;
        this.service = service;
        this.clock = clock;
    }

    /** {@code identity-service} → {@code identity}: the service's part of its topics' names. */
    public static String serviceName(String applicationName) {
        return applicationName.endsWith("-service") ? applicationName.substring(0, applicationName.length() - 8) : applicationName;
    }

    public String aggregateType() {
        return service + ".audit";
    }

    public Mono<Void> record(AuditRecord record) {
        return Mono.deferContextual(context -> outbox.append(event(record, context)));
    }

    /** The outbox event of a record made by a unit of work on JDBC, for its {@code JdbcOutbox} to append with the change. */
    public OutboxEvent event(AuditRecord record, RequestScope scope) {
        return event(record, scope.requestId(), scope.clientAddress());
    }

    private OutboxEvent event(AuditRecord record, ContextView context) {
        return event(record, context.<String>getOrEmpty(RequestIdWebFilter.CONTEXT_KEY).orElse(null),
                context.<String>getOrEmpty(ClientAddressWebFilter.CONTEXT_KEY).orElse(null));
    }

    private OutboxEvent event(AuditRecord record, String requestId, String clientAddress) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("audit_event_id", id.toString());
        payload.put("tenant_id", record.tenantId().toString());
        payload.put("occurred_at", now.toString());
        payload.put("service", service);
        payload.put("actor_id", record.actorId() == null ? null : record.actorId().toString());
        payload.put("action", record.action());
        payload.put("target_type", record.targetType());
        payload.put("target_id", record.targetId());
        Map<String, Object> changes = new LinkedHashMap<>();
        record.changes().forEach((field, change) -> {
            Map<String, Object> beforeAfter = new LinkedHashMap<>();
            beforeAfter.put("before", change.before());
            beforeAfter.put("after", change.after());
            changes.put(field, beforeAfter);
        });
        payload.put("changes", changes);
        payload.put("client_ip", clientAddress);
        payload.put("request_id", requestId);
        return new OutboxEvent(id, aggregateType(), record.tenantId().toString(), EVENT_TYPE, record.tenantId(), payload, now);
    }
}
