package eu.erpdetachement.checkin.domain;

import java.time.Instant;
import java.util.UUID;

/** A recorded check event, as stored. {@code metadata} is canonical JSON (sorted keys). */
public record CheckEvent(UUID checkEventId, UUID tenantId, UUID missionId, UUID workerId, CheckEventType type,
        Instant occurredAt, Instant recordedAt, CheckSource source, String metadata, UUID recordedBy, long sequenceNo,
        String previousHash, String hash) {

    public CheckEventChain.Link link() {
        return new CheckEventChain.Link(checkEventId, tenantId, missionId, workerId, type, occurredAt, source, metadata,
                recordedBy, sequenceNo, previousHash);
    }
}
