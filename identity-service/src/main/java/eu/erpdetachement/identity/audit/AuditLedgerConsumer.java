package eu.erpdetachement.identity.audit;

import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.platform.kafka.RecordProjection;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Appends the AuditRecorded events of one service's audit topic to the ledger, one transaction each. */
public class AuditLedgerConsumer implements RecordProjection {

    private final String topic;
    private final AuditLedger ledger;
    private final TransactionalOperator transaction;
    private final JsonMapper json;

    public AuditLedgerConsumer(String service, AuditLedger ledger, TransactionalOperator transaction, JsonMapper json) {
        this.topic = topicOf(service);
        this.ledger = ledger;
        this.transaction = transaction;
        this.json = json;
    }

    public static String topicOf(String service) {
        return "erp." + service + ".audit.v1";
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public Mono<Boolean> change(ConsumerRecord<String, byte[]> record) {
        AuditEntry entry = read(json.readTree(record.value()));
        return ledger.append(entry).as(transaction::transactional);
    }

    /** Throws on anything that is not an AuditRecorded (it is dead-lettered, never retried). */
    static AuditEntry read(JsonNode event) {
        JsonNode changes = event.path("changes");
        String action = text(event, "action");
        String targetType = text(event, "target_type");
        String targetId = text(event, "target_id");
        String service = text(event, "service");
        if (!changes.isObject() || action == null || targetType == null || targetId == null || service == null) {
            throw new IllegalArgumentException("Not an AuditRecorded: changes, action, target_type, target_id and service are required");
        }
        String actor = text(event, "actor_id");
        return new AuditEntry(UUID.fromString(text(event, "audit_event_id")), UUID.fromString(text(event, "tenant_id")),
                Instant.parse(text(event, "occurred_at")), service, actor == null ? null : UUID.fromString(actor), action,
                targetType, targetId, changes, text(event, "client_ip"), text(event, "request_id"));
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
