package eu.erpdetachement.checkin.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * The head of one (tenant, mission, worker) chain: {@code sequenceNo} and {@code hash} are the last
 * link's (what the next link points at); {@code checkEventId}, {@code type} and {@code occurredAt}
 * are the effective last event's, corrections applied (what the next event must follow). Without
 * corrections both are the last check event.
 */
public record ChainHead(UUID checkEventId, long sequenceNo, CheckEventType type, Instant occurredAt, String hash) {

    /** What a worker is doing right now, as the 409 problem reports it. */
    public String currentState() {
        return type == CheckEventType.CHECK_IN ? "checked_in" : "checked_out";
    }
}
