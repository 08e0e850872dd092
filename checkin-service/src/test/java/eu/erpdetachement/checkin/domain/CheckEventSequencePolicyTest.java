package eu.erpdetachement.checkin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class CheckEventSequencePolicyTest {

    private final CheckEventSequencePolicy policy = new CheckEventSequencePolicy();
    private final Instant nine = Instant.parse("2026-11-24T09:00:00Z");

    private ChainHead head(CheckEventType type, Instant at) {
        return new ChainHead(UUID.randomUUID(), 1, type, at, "h");
    }

    @Test
    void a_chain_starts_with_a_check_in() {
        assertThat(policy.check(Optional.empty(), CheckEventType.CHECK_IN, nine)).isEmpty();
    }

    @Test
    void rejects_check_out_without_open_check_in() {
        Optional<Rejection> rejection = policy.check(Optional.empty(), CheckEventType.CHECK_OUT, nine);
        assertThat(rejection).get().extracting(Rejection::currentState).isEqualTo("not_checked_in");
        assertThat(rejection.get().kind()).isEqualTo(Rejection.Kind.OUT_OF_SEQUENCE);
    }

    @Test
    void rejects_a_second_check_in_and_says_the_worker_is_checked_in() {
        Optional<Rejection> rejection = policy.check(Optional.of(head(CheckEventType.CHECK_IN, nine)),
                CheckEventType.CHECK_IN, nine.plusSeconds(60));
        assertThat(rejection).get().extracting(Rejection::currentState).isEqualTo("checked_in");
    }

    @Test
    void rejects_a_second_check_out() {
        assertThat(policy.check(Optional.of(head(CheckEventType.CHECK_OUT, nine)), CheckEventType.CHECK_OUT,
                nine.plusSeconds(60))).get().extracting(Rejection::currentState).isEqualTo("checked_out");
    }

    @Test
    void accepts_a_check_out_after_the_check_in() {
        assertThat(policy.check(Optional.of(head(CheckEventType.CHECK_IN, nine)), CheckEventType.CHECK_OUT,
                nine.plusSeconds(8 * 3600))).isEmpty();
    }

    @Test
    void rejects_an_event_at_the_same_instant_as_the_previous() {
        assertThat(policy.check(Optional.of(head(CheckEventType.CHECK_IN, nine)), CheckEventType.CHECK_OUT, nine))
                .isPresent();
    }

    @Test
    void rejects_an_event_before_the_previous() {
        assertThat(policy.check(Optional.of(head(CheckEventType.CHECK_IN, nine)), CheckEventType.CHECK_OUT,
                nine.minusSeconds(1))).isPresent();
    }
}
