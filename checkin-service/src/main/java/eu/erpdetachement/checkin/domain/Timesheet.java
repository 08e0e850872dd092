package eu.erpdetachement.checkin.domain;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A worker's days of work, as an inspector reads them: per local date and mission the first
 * check-in, the last check-out and the time worked, from the effective events (corrections
 * applied), with the corrections that made them and each chain's verification.
 *
 * <p>An interval belongs to the local date of its check-in, whole: a night shift from 22:00 to 06:00
 * counts on the day it started, and its check-out shows the next date. Durations are elapsed time
 * between instants, so a day with a clock change counts the hours really worked.
 */
public record Timesheet(ZoneId zone, LocalDate from, LocalDate to, List<Day> days, List<ChainCheck> chains) {

    /**
     * One local date on one mission. {@code lastCheckOut} is null when no interval of the day is
     * closed; {@code open} when an interval of the day has no check-out (not counted in {@code worked}).
     */
    public record Day(LocalDate date, UUID missionId, OffsetDateTime firstCheckIn, OffsetDateTime lastCheckOut,
            Duration worked, boolean open, List<EffectiveSequence.Applied> corrections) {
    }

    public record ChainCheck(UUID missionId, UUID workerId, CheckEventChain.Verification verification) {
    }

    /** Longest range one time-sheet covers. */
    public static final int MAX_DAYS = 366;

    public static Timesheet of(ZoneId zone, LocalDate from, LocalDate to, List<ChainRecords> chains) {
        Map<String, DayBuilder> days = new LinkedHashMap<>();
        List<ChainCheck> checks = new ArrayList<>();
        for (ChainRecords chain : chains) {
            checks.add(new ChainCheck(chain.missionId(), chain.workerId(), chain.verify()));
            List<EffectiveSequence.Entry> entries = chain.effective().entries();
            for (int i = 0; i < entries.size(); i++) {
                EffectiveSequence.Entry in = entries.get(i);
                if (in.type() != CheckEventType.CHECK_IN) {
                    continue; // a check-out without a check-in: only a broken chain has one, and its check says so
                }
                LocalDate date = in.occurredAt().atZone(zone).toLocalDate();
                EffectiveSequence.Entry out = i + 1 < entries.size() && entries.get(i + 1).type() == CheckEventType.CHECK_OUT
                        ? entries.get(++i) : null;
                if (date.isBefore(from) || date.isAfter(to)) {
                    continue;
                }
                days.computeIfAbsent(date + "/" + chain.missionId(), k -> new DayBuilder(date, chain.missionId()))
                        .add(in, out, zone);
            }
        }
        List<Day> built = days.values().stream().map(DayBuilder::build)
                .sorted(Comparator.comparing(Day::date).thenComparing(Day::missionId)).toList();
        checks.sort(Comparator.comparing(ChainCheck::missionId));
        return new Timesheet(zone, from, to, built, List.copyOf(checks));
    }

    private static final class DayBuilder {
        private final LocalDate date;
        private final UUID missionId;
        private OffsetDateTime firstCheckIn;
        private OffsetDateTime lastCheckOut;
        private Duration worked = Duration.ZERO;
        private boolean open;
        private final List<EffectiveSequence.Applied> corrections = new ArrayList<>();

        DayBuilder(LocalDate date, UUID missionId) {
            this.date = date;
            this.missionId = missionId;
        }

        void add(EffectiveSequence.Entry in, EffectiveSequence.Entry out, ZoneId zone) {
            OffsetDateTime start = in.occurredAt().atZone(zone).toOffsetDateTime();
            if (firstCheckIn == null || start.isBefore(firstCheckIn)) {
                firstCheckIn = start;
            }
            corrections.addAll(in.corrections());
            if (out == null) {
                open = true;
                return;
            }
            OffsetDateTime end = out.occurredAt().atZone(zone).toOffsetDateTime();
            if (lastCheckOut == null || end.isAfter(lastCheckOut)) {
                lastCheckOut = end;
            }
            worked = worked.plus(Duration.between(in.occurredAt(), out.occurredAt()));
            corrections.addAll(out.corrections());
        }

        Day build() {
            List<EffectiveSequence.Applied> ordered = corrections.stream()
                    .sorted(Comparator.comparingLong(a -> a.correction().sequenceNo())).toList();
            return new Day(date, missionId, firstCheckIn, lastCheckOut, worked, open, ordered);
        }
    }
}
