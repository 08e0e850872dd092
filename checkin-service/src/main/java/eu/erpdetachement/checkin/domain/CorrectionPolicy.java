package eu.erpdetachement.checkin.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A supplied event follows the event it names: a check-out closes the named check-in, a check-in
 * opens a new interval after the named check-out. A correction is accepted when it names an event of its chain that it can apply to, its time is
 * not in the future, and the chain's effective sequence still alternates from a check-in and
 * increases in time once it is applied. No backdating window: correcting old records is the point.
 */
public final class CorrectionPolicy {

    public Optional<Rejection> check(List<CheckEvent> events, List<Correction> corrections, Correction proposed, Instant now) {
        if (proposed.occurredAt().isAfter(now.plus(OccurrenceWindowPolicy.MAX_CLOCK_SKEW))) {
            return Optional.of(new Rejection(Rejection.Kind.TIME_OUT_OF_RANGE,
                    "occurred_at is more than " + OccurrenceWindowPolicy.MAX_CLOCK_SKEW.toMinutes() + " minutes in the future.",
                    null));
        }
        EffectiveSequence current = EffectiveSequence.of(events, corrections);
        Optional<EffectiveSequence.Entry> named = current.find(proposed.correctedEventId());
        if (named.isEmpty()) {
            return conflict("The corrected event is not part of this worker's chain on this mission.", current);
        }
        EffectiveSequence.Entry target = named.get();
        switch (proposed.kind()) {
            case SUPPLY_CHECK_OUT -> {
                if (target.type() != CheckEventType.CHECK_IN) {
                    return conflict("supply_check_out closes a check-in; the corrected event is a check-out.", current);
                }
                if (!proposed.occurredAt().isAfter(target.occurredAt())) {
                    return conflict("The supplied check-out must come after the check-in it closes (" + target.occurredAt() + ").",
                            current);
                }
            }
            case SUPPLY_CHECK_IN -> {
                if (target.type() != CheckEventType.CHECK_OUT) {
                    return conflict("supply_check_in follows a check-out; the corrected event is a check-in.", current);
                }
                if (!proposed.occurredAt().isAfter(target.occurredAt())) {
                    return conflict("The supplied check-in must come after the check-out it follows (" + target.occurredAt() + ").",
                            current);
                }
            }
            case AMEND_OCCURRED_AT -> {
                // any entry may be amended; the sequence check below keeps its place
            }
        }
        List<Correction> after = new ArrayList<>(corrections);
        after.add(proposed);
        return EffectiveSequence.of(events, after).firstBreach()
                .map(breach -> new Rejection(Rejection.Kind.OUT_OF_SEQUENCE,
                        "After this correction " + breach + ".", current.currentState()));
    }

    private static Optional<Rejection> conflict(String reason, EffectiveSequence current) {
        return Optional.of(new Rejection(Rejection.Kind.OUT_OF_SEQUENCE, reason, current.currentState()));
    }
}
