package eu.erpdetachement.checkin.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A correction appended to a (mission, worker) chain, as stored. {@code correctedEventId} names a
 * check event or an event an earlier correction supplied; {@code occurredAt} is the amended or
 * supplied time.
 */
public record Correction(UUID correctionId, UUID tenantId, UUID missionId, UUID workerId, CorrectionKind kind,
        UUID correctedEventId, Instant occurredAt, String reason, UUID correctedBy, Instant recordedAt, long sequenceNo,
        String previousHash, String hash) {

    public CheckEventChain.CorrectionLink link() {
        return new CheckEventChain.CorrectionLink(correctionId, tenantId, missionId, workerId, kind, correctedEventId,
                occurredAt, reason, correctedBy, sequenceNo, previousHash);
    }

    /** The type of the event a supplying correction adds. */
    public CheckEventType suppliedType() {
        return switch (kind) {
            case SUPPLY_CHECK_IN -> CheckEventType.CHECK_IN;
            case SUPPLY_CHECK_OUT -> CheckEventType.CHECK_OUT;
            case AMEND_OCCURRED_AT -> throw new IllegalStateException("an amendment supplies no event");
        };
    }
}
