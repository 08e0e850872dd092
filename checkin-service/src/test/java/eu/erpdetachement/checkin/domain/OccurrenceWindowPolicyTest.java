package eu.erpdetachement.checkin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class OccurrenceWindowPolicyTest {

    private final OccurrenceWindowPolicy policy = new OccurrenceWindowPolicy();
    private final Instant now = Instant.parse("2026-11-24T12:00:00Z");
    private final Duration window = Duration.ofHours(72);

    @Test
    void accepts_now_and_a_little_clock_skew() {
        assertThat(policy.check(now, now, window)).isEmpty();
        assertThat(policy.check(now.plus(Duration.ofMinutes(5)), now, window)).isEmpty();
    }

    @Test
    void rejects_more_than_five_minutes_in_the_future() {
        assertThat(policy.check(now.plus(Duration.ofMinutes(5)).plusSeconds(1), now, window))
                .get().extracting(Rejection::kind).isEqualTo(Rejection.Kind.TIME_OUT_OF_RANGE);
    }

    @Test
    void accepts_an_offline_phone_syncing_within_the_window() {
        assertThat(policy.check(now.minus(Duration.ofHours(71)), now, window)).isEmpty();
    }

    @Test
    void rejects_events_older_than_the_tenant_window() {
        assertThat(policy.check(now.minus(Duration.ofHours(73)), now, window)).isPresent();
        assertThat(policy.check(now.minus(Duration.ofHours(13)), now, Duration.ofHours(12))).isPresent();
    }
}
