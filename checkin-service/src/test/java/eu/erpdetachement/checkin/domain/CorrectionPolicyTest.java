package eu.erpdetachement.checkin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CorrectionPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");
    private final CorrectionPolicy policy = new CorrectionPolicy();
    private final CheckEventSequencePolicy sequence = new CheckEventSequencePolicy();
    private final ChainFixture chain = new ChainFixture();

    private Optional<Rejection> check(Correction proposed) {
        return policy.check(chain.events, chain.corrections, proposed, NOW);
    }

    @Test
    void a_supplied_check_out_closes_a_forgotten_one_and_the_worker_may_check_in_again() {
        CheckEvent in = chain.in("2026-11-24T07:00:00Z");
        assertThat(sequence.check(chain.records().head(), CheckEventType.CHECK_IN, NOW)).isPresent(); // refused: still checked in

        Correction out = chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-24T16:00:00Z", "forgot");
        assertThat(check(out)).isEmpty();
        chain.correct(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-24T16:00:00Z", "forgot");

        ChainHead head = chain.records().head().orElseThrow();
        assertThat(head.type()).isEqualTo(CheckEventType.CHECK_OUT);
        assertThat(head.occurredAt()).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
        assertThat(head.sequenceNo()).isEqualTo(2);
        assertThat(head.hash()).isEqualTo(chain.corrections.get(0).hash());
        assertThat(sequence.check(chain.records().head(), CheckEventType.CHECK_IN, NOW)).isEmpty();
        assertThat(chain.records().verify().valid()).isTrue();
    }

    @Test
    void a_supplied_check_in_after_the_last_check_out_lets_the_worker_check_out() {
        chain.in("2026-11-23T07:00:00Z");
        CheckEvent out = chain.out("2026-11-23T16:00:00Z");
        Instant evening = Instant.parse("2026-11-24T16:00:00Z");
        // the worker forgot the morning's check-in: the evening's check-out is refused
        assertThat(sequence.check(chain.records().head(), CheckEventType.CHECK_OUT, evening)).isPresent();

        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_IN, out.checkEventId(), "2026-11-24T07:00:00Z", "forgot")))
                .isEmpty();
        chain.correct(CorrectionKind.SUPPLY_CHECK_IN, out.checkEventId(), "2026-11-24T07:00:00Z", "forgot");

        assertThat(sequence.check(chain.records().head(), CheckEventType.CHECK_OUT, evening)).isEmpty();
    }

    @Test
    void a_supplied_check_in_follows_a_check_out_and_keeps_the_sequence() {
        CheckEvent in = chain.in("2026-11-23T07:00:00Z");
        CheckEvent out = chain.out("2026-11-23T16:00:00Z");
        chain.in("2026-11-24T07:00:00Z");

        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_IN, in.checkEventId(), "2026-11-23T17:00:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("follows a check-out"));
        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_IN, out.checkEventId(), "2026-11-23T15:00:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("after the check-out"));
        // the worker is already checked in again after that check-out
        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_IN, out.checkEventId(), "2026-11-23T18:00:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.currentState()).isEqualTo("checked_in"));
    }

    @Test
    void a_forgotten_check_out_and_check_in_in_one_interval_are_fixed_in_steps_that_each_alternate() {
        // the worker forgot Monday's check-out and Tuesday's check-in: in Monday 07:00 ... out Tuesday 16:00
        CheckEvent in = chain.in("2026-11-23T07:00:00Z");
        CheckEvent out = chain.out("2026-11-24T16:00:00Z");
        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-23T16:00:00Z", "x")))
                .as("a check-out between them would not alternate").isPresent();

        chain.correct(CorrectionKind.AMEND_OCCURRED_AT, out.checkEventId(), "2026-11-23T16:00:00Z", "left Monday 16:00");
        Correction tuesday = chain.correct(CorrectionKind.SUPPLY_CHECK_IN, out.checkEventId(), "2026-11-24T07:00:00Z", "x");
        Correction evening = chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, tuesday.correctionId(), "2026-11-24T16:00:00Z",
                "x");

        assertThat(check(evening)).isEmpty();
    }

    @Test
    void an_amended_time_must_keep_its_place_in_the_sequence() {
        CheckEvent in = chain.in("2026-11-24T07:00:00Z");
        chain.out("2026-11-24T12:00:00Z");
        chain.in("2026-11-24T13:00:00Z");

        assertThat(check(chain.proposed(CorrectionKind.AMEND_OCCURRED_AT, in.checkEventId(), "2026-11-24T07:30:00Z", "late")))
                .isEmpty();
        assertThat(check(chain.proposed(CorrectionKind.AMEND_OCCURRED_AT, in.checkEventId(), "2026-11-24T12:30:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.kind()).isEqualTo(Rejection.Kind.OUT_OF_SEQUENCE));
        assertThat(check(chain.proposed(CorrectionKind.AMEND_OCCURRED_AT, in.checkEventId(), "2026-11-24T12:00:00Z", "x")))
                .as("two events at one instant").isPresent();
    }

    @Test
    void a_supplied_check_out_needs_a_check_in_and_a_later_time() {
        CheckEvent in = chain.in("2026-11-24T07:00:00Z");
        CheckEvent out = chain.out("2026-11-24T12:00:00Z");

        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, out.checkEventId(), "2026-11-24T13:00:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("closes a check-in"));
        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-24T06:00:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("after the check-in"));
        // the check-in is already closed: a second check-out would not alternate
        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-24T10:00:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.currentState()).isEqualTo("checked_out"));
    }

    @Test
    void a_correction_may_not_be_in_the_future() {
        CheckEvent in = chain.in("2026-11-25T07:00:00Z");

        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-25T09:06:00Z", "x")))
                .hasValueSatisfying(r -> assertThat(r.kind()).isEqualTo(Rejection.Kind.TIME_OUT_OF_RANGE));
    }

    @Test
    void a_supplied_event_can_itself_be_amended() {
        CheckEvent in = chain.in("2026-11-24T07:00:00Z");
        Correction supplied = chain.correct(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-24T18:00:00Z", "x");

        assertThat(check(chain.proposed(CorrectionKind.AMEND_OCCURRED_AT, supplied.correctionId(), "2026-11-24T16:00:00Z",
                "it was 16:00"))).isEmpty();
        chain.correct(CorrectionKind.AMEND_OCCURRED_AT, supplied.correctionId(), "2026-11-24T16:00:00Z", "it was 16:00");

        EffectiveSequence.Entry out = chain.records().effective().last().orElseThrow();
        assertThat(out.occurredAt()).isEqualTo(Instant.parse("2026-11-24T16:00:00Z"));
        assertThat(out.corrections()).extracting(EffectiveSequence.Applied::replaced)
                .containsExactly(null, Instant.parse("2026-11-24T18:00:00Z"));
    }

    @Test
    void an_event_of_another_chain_cannot_be_corrected_here() {
        chain.in("2026-11-24T07:00:00Z");
        CheckEvent elsewhere = new ChainFixture().in("2026-11-24T07:00:00Z");

        assertThat(check(chain.proposed(CorrectionKind.SUPPLY_CHECK_OUT, elsewhere.checkEventId(), "2026-11-24T08:00:00Z", "x")))
                .isPresent();
    }
}
