package eu.erpdetachement.checkin.events;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.checkin.domain.Correction;

/** Payload of {@code WorkerCheckEventCorrected} (contracts/events/WorkerCheckEventCorrected.schema.json). */
public record WorkerCheckEventCorrected(UUID correctionId, UUID tenantId, UUID missionId, UUID workerId,
        UUID checkEventId, String kind, Instant occurredAt, Instant replacedOccurredAt, String reason, UUID correctedBy,
        Instant recordedAt, String previousHash, String hash) {

    public static final String TYPE = "WorkerCheckEventCorrected";
    /** The same topic as the chain's recorded events: erp.checkin.worker-check-event.v1. */
    public static final String AGGREGATE_TYPE = WorkerCheckEventRecorded.AGGREGATE_TYPE;

    /** {@code replacedOccurredAt}: the time an amendment replaced, null when the correction supplies an event. */
    public static WorkerCheckEventCorrected of(Correction c, Instant replacedOccurredAt) {
        return new WorkerCheckEventCorrected(c.correctionId(), c.tenantId(), c.missionId(), c.workerId(),
                c.correctedEventId(), c.kind().wireName(), c.occurredAt(), replacedOccurredAt, c.reason(),
                c.correctedBy(), c.recordedAt(), c.previousHash(), c.hash());
    }

    /** The corrected chain's key, so a correction follows the events it corrects in Kafka's order. */
    public static String aggregateId(Correction c) {
        return WorkerCheckEventRecorded.chainKey(c.missionId(), c.workerId());
    }
}
