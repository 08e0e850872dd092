package eu.erpdetachement.checkin.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an event may say it happened: not later than a little clock skew into the future, and not
 * earlier than the tenant's backdating window (phones that were offline sync late).
 */
public final class OccurrenceWindowPolicy {

    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_BACKDATING_WINDOW = Duration.ofHours(72);

    public Optional<Rejection> check(Instant occurredAt, Instant now, Duration backdatingWindow) {
        if (occurredAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return Optional.of(new Rejection(Rejection.Kind.TIME_OUT_OF_RANGE,
                    "occurred_at is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future.", null));
        }
        if (occurredAt.isBefore(now.minus(backdatingWindow))) {
            return Optional.of(new Rejection(Rejection.Kind.TIME_OUT_OF_RANGE,
                    "occurred_at is older than the backdating window of " + backdatingWindow.toHours() + " hours.", null));
        }
        return Optional.empty();
    }
}
