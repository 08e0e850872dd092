package eu.erpdetachement.platform.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain event on its way to Kafka. {@code aggregateType} picks the topic
 * ({@code erp.<aggregateType>.v1}), {@code aggregateId} is the record key (so one aggregate stays
 * in order), {@code type} becomes the CloudEvents {@code ce_type}, {@code id} the {@code ce_id}
 * consumers deduplicate on.
 */
public record OutboxEvent(UUID id, String aggregateType, String aggregateId, String type, UUID tenantId,
        Object payload, Instant occurredAt) {

    public static OutboxEvent of(String aggregateType, String aggregateId, String type, UUID tenantId,
            Object payload, Instant occurredAt) {
        return new OutboxEvent(UUID.randomUUID(), aggregateType, aggregateId, type, tenantId, payload, occurredAt);
    }
}
