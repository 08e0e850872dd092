package eu.erpdetachement.checkin.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class TimesheetTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private final ChainFixture chain = new ChainFixture();

    private Timesheet sheet(String from, String to, ChainRecords... chains) {
        return Timesheet.of(PARIS, LocalDate.parse(from), LocalDate.parse(to), List.of(chains));
    }

    private Timesheet.Day onlyDay(Timesheet sheet) {
        assertThat(sheet.days()).hasSize(1);
        return sheet.days().get(0);
    }

    @Test
    void a_day_shows_its_first_check_in_last_check_out_and_the_closed_intervals_worked() {
        chain.in("2026-11-24T07:00:00Z");
        chain.out("2026-11-24T11:00:00Z");
        chain.in("2026-11-24T12:00:00Z");
        chain.out("2026-11-24T16:30:00Z");

        Timesheet.Day day = onlyDay(sheet("2026-11-24", "2026-11-24", chain.records()));

        assertThat(day.date()).isEqualTo(LocalDate.parse("2026-11-24"));
        assertThat(day.missionId()).isEqualTo(chain.mission);
        assertThat(day.firstCheckIn()).isEqualTo(OffsetDateTime.parse("2026-11-24T08:00:00+01:00"));
        assertThat(day.lastCheckOut()).isEqualTo(OffsetDateTime.parse("2026-11-24T17:30:00+01:00"));
        assertThat(day.worked()).isEqualTo(Duration.ofMinutes(8 * 60 + 30));
        assertThat(day.open()).isFalse();
        assertThat(day.corrections()).isEmpty();
    }

    @Test
    void an_interval_across_midnight_counts_whole_on_the_day_of_its_check_in() {
        chain.in("2026-11-24T21:00:00Z"); // 22:00 in Paris
        chain.out("2026-11-25T05:00:00Z"); // 06:00 the next day

        Timesheet sheet = sheet("2026-11-24", "2026-11-25", chain.records());

        Timesheet.Day day = onlyDay(sheet);
        assertThat(day.date()).isEqualTo(LocalDate.parse("2026-11-24"));
        assertThat(day.lastCheckOut()).isEqualTo(OffsetDateTime.parse("2026-11-25T06:00:00+01:00"));
        assertThat(day.worked()).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void the_day_clocks_go_forward_counts_the_hours_really_worked() {
        chain.in("2026-03-28T23:00:00Z"); // 29 March 00:00 +01:00
        chain.out("2026-03-29T06:00:00Z"); // 08:00 +02:00: seven hours later

        Timesheet.Day day = onlyDay(sheet("2026-03-29", "2026-03-29", chain.records()));

        assertThat(day.firstCheckIn()).isEqualTo(OffsetDateTime.parse("2026-03-29T00:00:00+01:00"));
        assertThat(day.lastCheckOut()).isEqualTo(OffsetDateTime.parse("2026-03-29T08:00:00+02:00"));
        assertThat(day.worked()).isEqualTo(Duration.ofHours(7));
    }

    @Test
    void the_day_clocks_go_back_counts_the_repeated_hour() {
        chain.in("2026-10-24T22:00:00Z"); // 25 October 00:00 +02:00
        chain.out("2026-10-25T07:00:00Z"); // 08:00 +01:00: nine hours later

        assertThat(onlyDay(sheet("2026-10-25", "2026-10-25", chain.records())).worked()).isEqualTo(Duration.ofHours(9));
    }

    @Test
    void a_check_in_without_check_out_flags_the_day_open_and_counts_nothing_for_it() {
        chain.in("2026-11-24T07:00:00Z");
        chain.out("2026-11-24T11:00:00Z");
        chain.in("2026-11-24T12:00:00Z");

        Timesheet.Day day = onlyDay(sheet("2026-11-24", "2026-11-24", chain.records()));

        assertThat(day.open()).isTrue();
        assertThat(day.worked()).isEqualTo(Duration.ofHours(4));
        assertThat(day.lastCheckOut()).isEqualTo(OffsetDateTime.parse("2026-11-24T12:00:00+01:00"));
    }

    @Test
    void a_day_with_only_an_open_interval_has_no_check_out() {
        chain.in("2026-11-24T07:00:00Z");

        Timesheet.Day day = onlyDay(sheet("2026-11-24", "2026-11-24", chain.records()));

        assertThat(day.open()).isTrue();
        assertThat(day.lastCheckOut()).isNull();
        assertThat(day.worked()).isZero();
    }

    @Test
    void an_amended_time_counts_and_the_day_shows_the_amendment_with_the_time_it_replaced() {
        CheckEvent in = chain.in("2026-11-24T07:00:00Z");
        chain.out("2026-11-24T16:00:00Z");
        Correction amend = chain.correct(CorrectionKind.AMEND_OCCURRED_AT, in.checkEventId(), "2026-11-24T06:30:00Z",
                "badge reader was down");

        Timesheet.Day day = onlyDay(sheet("2026-11-24", "2026-11-24", chain.records()));

        assertThat(day.firstCheckIn()).isEqualTo(OffsetDateTime.parse("2026-11-24T07:30:00+01:00"));
        assertThat(day.worked()).isEqualTo(Duration.ofMinutes(9 * 60 + 30));
        assertThat(day.corrections()).singleElement().satisfies(applied -> {
            assertThat(applied.correction()).isEqualTo(amend);
            assertThat(applied.replaced()).isEqualTo(Instant.parse("2026-11-24T07:00:00Z"));
        });
    }

    @Test
    void a_supplied_check_out_closes_the_day() {
        CheckEvent in = chain.in("2026-11-24T07:00:00Z");
        Correction supplied = chain.correct(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-24T16:00:00Z",
                "forgot to check out");

        Timesheet.Day day = onlyDay(sheet("2026-11-24", "2026-11-24", chain.records()));

        assertThat(day.open()).isFalse();
        assertThat(day.lastCheckOut()).isEqualTo(OffsetDateTime.parse("2026-11-24T17:00:00+01:00"));
        assertThat(day.worked()).isEqualTo(Duration.ofHours(9));
        assertThat(day.corrections()).extracting(EffectiveSequence.Applied::correction).containsExactly(supplied);
        assertThat(day.corrections().get(0).replaced()).isNull();
    }

    @Test
    void days_are_local_dates_of_the_tenants_zone_within_the_range() {
        chain.in("2026-11-30T23:30:00Z"); // 1 December 00:30 in Paris
        chain.out("2026-12-01T07:00:00Z");
        chain.in("2026-12-02T07:00:00Z");
        chain.out("2026-12-02T08:00:00Z");

        assertThat(sheet("2026-11-30", "2026-11-30", chain.records()).days()).isEmpty();
        assertThat(sheet("2026-12-01", "2026-12-01", chain.records()).days()).extracting(Timesheet.Day::date)
                .containsExactly(LocalDate.parse("2026-12-01"));
        assertThat(sheet("2026-11-01", "2026-12-31", chain.records()).days()).hasSize(2);
    }

    @Test
    void each_chain_covered_has_its_verification_and_a_corrected_chain_verifies() {
        CheckEvent in = chain.in("2026-11-24T07:00:00Z");
        chain.correct(CorrectionKind.SUPPLY_CHECK_OUT, in.checkEventId(), "2026-11-24T16:00:00Z", "forgot");
        ChainFixture tampered = new ChainFixture(java.util.UUID.randomUUID(), chain.worker);
        tampered.in("2026-11-24T17:00:00Z");
        CheckEvent edited = tampered.out("2026-11-24T18:00:00Z");
        tampered.events.set(1, new CheckEvent(edited.checkEventId(), edited.tenantId(), edited.missionId(), edited.workerId(),
                edited.type(), edited.occurredAt().plusSeconds(3600), edited.recordedAt(), edited.source(), edited.metadata(),
                edited.recordedBy(), edited.sequenceNo(), edited.previousHash(), edited.hash()));

        Timesheet sheet = sheet("2026-11-24", "2026-11-24", chain.records(), tampered.records());

        assertThat(sheet.days()).hasSize(2);
        assertThat(sheet.chains()).hasSize(2).allSatisfy(check -> {
            CheckEventChain.Verification v = check.verification();
            if (check.missionId().equals(chain.mission)) {
                assertThat(v.valid()).isTrue();
                assertThat(v.checked()).isEqualTo(2);
            } else {
                assertThat(v.valid()).isFalse();
                assertThat(v.firstBrokenEventId()).contains(edited.checkEventId());
            }
        });
    }
}
