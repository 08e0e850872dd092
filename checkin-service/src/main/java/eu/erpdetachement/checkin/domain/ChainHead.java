package eu.erpdetachement.checkin.domain;

import java.time.Instant;
import java.util.UUID;

/** The latest event of one (tenant, mission, worker) chain: what the next event must follow. */
public record ChainHead(UUID checkEventId, long sequenceNo, CheckEventType type, Instant occurredAt, String hash) {

    /** What a worker is doing right now, as the 409 problem reports it. */
    public String currentState() {
        return type == CheckEventType.CHECK_IN ? "checked_in" : "checked_out";
    }
}
