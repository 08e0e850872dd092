package eu.erpdetachement.checkin.events;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.checkin.domain.CheckEvent;
import tools.jackson.databind.JsonNode;

/** Payload of {@code WorkerCheckEventRecorded} (contracts/events/WorkerCheckEventRecorded.schema.json). */
public record WorkerCheckEventRecorded(UUID checkEventId, UUID tenantId, UUID missionId, UUID workerId, String eventType,
        Instant occurredAt, Instant recordedAt, String source, JsonNode metadata, UUID recordedBy, String previousHash,
        String hash) {

    public static final String TYPE = "WorkerCheckEventRecorded";
    /** Routes to topic erp.checkin.worker-check-event.v1. */
    public static final String AGGREGATE_TYPE = "checkin.worker-check-event";

    public static WorkerCheckEventRecorded of(CheckEvent e, JsonNode metadata) {
        return new WorkerCheckEventRecorded(e.checkEventId(), e.tenantId(), e.missionId(), e.workerId(),
                e.type().wireName(), e.occurredAt(), e.recordedAt(), e.source().wireName(), metadata, e.recordedBy(),
                e.previousHash(), e.hash());
    }

    /** One chain per (mission, worker): its events share a key, so Kafka keeps them in order. */
    public static String aggregateId(CheckEvent e) {
        return chainKey(e.missionId(), e.workerId());
    }

    /** The Kafka key of every event of one chain (recorded or corrected). */
    public static String chainKey(UUID missionId, UUID workerId) {
        return missionId + ":" + workerId;
    }
}
