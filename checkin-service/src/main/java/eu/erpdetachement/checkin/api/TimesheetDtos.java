package eu.erpdetachement.checkin.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import eu.erpdetachement.checkin.api.CheckEventDtos.ChainVerification;
import eu.erpdetachement.checkin.domain.EffectiveSequence;
import eu.erpdetachement.checkin.domain.Timesheet;

/** {@code WorkerTimesheet} of contracts/openapi.yaml: times are local to the tenant's zone, with their offset. */
public final class TimesheetDtos {

    private TimesheetDtos() {
    }

    public record WorkerTimesheet(UUID workerId, String from, String to, String timeZone, List<TimesheetDay> days,
            List<ChainVerification> chains) {

        static WorkerTimesheet of(UUID workerId, Timesheet sheet) {
            ZoneId zone = sheet.zone();
            return new WorkerTimesheet(workerId, sheet.from().toString(), sheet.to().toString(), zone.getId(),
                    sheet.days().stream().map(day -> TimesheetDay.of(day, zone)).toList(),
                    sheet.chains().stream().map(c -> ChainVerification.of(c.missionId(), c.workerId(), c.verification()))
                            .toList());
        }
    }

    public record TimesheetDay(String date, UUID missionId, String firstCheckIn, String lastCheckOut, long workedSeconds,
            boolean open, List<TimesheetCorrection> corrections) {

        static TimesheetDay of(Timesheet.Day day, ZoneId zone) {
            return new TimesheetDay(day.date().toString(), day.missionId(), local(day.firstCheckIn()), local(day.lastCheckOut()),
                    day.worked().toSeconds(), day.open(),
                    day.corrections().stream().map(applied -> TimesheetCorrection.of(applied, zone)).toList());
        }
    }

    /** Who corrected what, when and why. */
    public record TimesheetCorrection(UUID correctionId, UUID checkEventId, String kind, String occurredAt,
            String replacedOccurredAt, String reason, UUID correctedBy, String correctedAt) {

        static TimesheetCorrection of(EffectiveSequence.Applied applied, ZoneId zone) {
            var c = applied.correction();
            return new TimesheetCorrection(c.correctionId(), c.correctedEventId(), c.kind().wireName(),
                    local(c.occurredAt(), zone), local(applied.replaced(), zone), c.reason(), c.correctedBy(),
                    local(c.recordedAt(), zone));
        }
    }

    static String local(OffsetDateTime time) {
        return time == null ? null : time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    static String local(Instant instant, ZoneId zone) {
        return instant == null ? null : local(instant.atZone(zone).toOffsetDateTime());
    }
}
