package eu.erpdetachement.checkin.app;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.checkin.domain.CheckEventType;
import eu.erpdetachement.checkin.domain.CheckSource;

/** A check event as the caller states it, already parsed and checked for shape. */
public record NewCheckEvent(UUID workerId, CheckEventType type, Instant occurredAt, CheckSource source,
        String canonicalMetadata) {
}
