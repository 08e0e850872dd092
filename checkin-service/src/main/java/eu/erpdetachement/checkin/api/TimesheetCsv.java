package eu.erpdetachement.checkin.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import eu.erpdetachement.checkin.api.CheckEventDtos.ChainVerification;
import eu.erpdetachement.checkin.api.TimesheetDtos.TimesheetCorrection;
import eu.erpdetachement.checkin.api.TimesheetDtos.TimesheetDay;
import eu.erpdetachement.checkin.api.TimesheetDtos.WorkerTimesheet;

/**
 * The time-sheet as RFC 4180 CSV for spreadsheets: a header row, one row per day and mission, CRLF
 * line ends, fields quoted when they hold a comma, a quote or a line break. A cell that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe.
 */
final class TimesheetCsv {

    static final List<String> HEADER = List.of("date", "mission_id", "first_check_in", "last_check_out",
            "worked_duration", "open", "corrections", "correction_reasons", "corrected_by", "chain_valid",
            "chain_checked", "chain_first_broken_event_id");

    private TimesheetCsv() {
    }

    static String write(WorkerTimesheet sheet) {
        Map<UUID, ChainVerification> chains = sheet.chains().stream()
                .collect(Collectors.toMap(ChainVerification::missionId, Function.identity()));
        StringBuilder csv = new StringBuilder();
        row(csv, HEADER);
        for (TimesheetDay day : sheet.days()) {
            ChainVerification chain = chains.get(day.missionId());
            row(csv, List.of(day.date(), day.missionId().toString(), orEmpty(day.firstCheckIn()),
                    orEmpty(day.lastCheckOut()), duration(day.workedSeconds()), Boolean.toString(day.open()),
                    joined(day.corrections(), TimesheetCsv::what), joined(day.corrections(), TimesheetCorrection::reason),
                    joined(day.corrections(), c -> c.correctedBy().toString()),
                    chain == null ? "" : Boolean.toString(chain.valid()), chain == null ? "" : Integer.toString(chain.checked()),
                    chain == null || chain.firstBrokenEventId() == null ? "" : chain.firstBrokenEventId().toString()));
        }
        return csv.toString();
    }

    /** e.g. {@code supply_check_out 2026-11-24T17:00:00+01:00 (of 3f…) at 2026-11-25T09:12:00+01:00}. */
    private static String what(TimesheetCorrection c) {
        return c.kind() + " " + (c.replacedOccurredAt() == null ? "" : c.replacedOccurredAt() + " -> ") + c.occurredAt()
                + " (event " + c.checkEventId() + ") at " + c.correctedAt();
    }

    private static String joined(List<TimesheetCorrection> corrections, Function<TimesheetCorrection, String> field) {
        return corrections.stream().map(field).collect(Collectors.joining(" | "));
    }

    static String duration(long seconds) {
        return "%d:%02d:%02d".formatted(seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static void row(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(i)));
        }
        csv.append("\r\n");
    }

    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0;
        return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }
}
