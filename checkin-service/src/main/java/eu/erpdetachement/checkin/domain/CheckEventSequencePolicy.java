package eu.erpdetachement.checkin.domain;

import java.util.Optional;

/**
 * Per (mission, worker), events alternate starting with a check-in, and each happens after the
 * previous one. Anything else is rejected with the chain's current state.
 */
public final class CheckEventSequencePolicy {

    public Optional<Rejection> check(Optional<ChainHead> head, CheckEventType type, java.time.Instant occurredAt) {
        if (head.isEmpty()) {
            return type == CheckEventType.CHECK_IN
                    ? Optional.empty()
                    : Optional.of(new Rejection(Rejection.Kind.OUT_OF_SEQUENCE,
                            "A check-out needs an open check-in; this worker has not checked in on this mission.",
                            "not_checked_in"));
        }
        ChainHead last = head.get();
        if (last.type() == type) {
            String reason = type == CheckEventType.CHECK_IN
                    ? "This worker is already checked in on this mission."
                    : "This worker is already checked out on this mission.";
            return Optional.of(new Rejection(Rejection.Kind.OUT_OF_SEQUENCE, reason, last.currentState()));
        }
        if (!occurredAt.isAfter(last.occurredAt())) {
            return Optional.of(new Rejection(Rejection.Kind.OUT_OF_SEQUENCE,
                    "The event must happen after the previous one (" + last.occurredAt() + ").", last.currentState()));
        }
        return Optional.empty();
    }
}
