package eu.erpdetachement.checkin.api;

import eu.erpdetachement.platform.json.CanonicalJson;
import eu.erpdetachement.platform.json.JsonText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import eu.erpdetachement.checkin.api.CheckEventDtos.WorkerCheckEventCorrectionRequest;
import eu.erpdetachement.checkin.api.CheckEventDtos.WorkerCheckEventCreateRequest;
import eu.erpdetachement.checkin.app.NewCheckEvent;
import eu.erpdetachement.checkin.app.NewCorrection;
import eu.erpdetachement.checkin.domain.CorrectionKind;
import eu.erpdetachement.checkin.domain.CheckEventType;
import eu.erpdetachement.checkin.domain.CheckSource;
import eu.erpdetachement.platform.problem.FieldError;
import eu.erpdetachement.platform.problem.ProblemException;

/** Turns a create request into a command, or a 422 listing every field that is wrong. */
final class CheckEventRequests {

    /** Geolocation, device id and the like: small by design. */
    static final int MAX_METADATA_BYTES = 4096;

    private CheckEventRequests() {
    }

    static NewCheckEvent parse(WorkerCheckEventCreateRequest request) {
        List<FieldError> errors = new ArrayList<>();
        CheckEventType type = null;
        CheckSource source = null;
        Instant occurredAt = null;
        String metadata = null;
        try {
            type = CheckEventType.fromWire(request.eventType());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("event_type", "must be check_in or check_out"));
        }
        try {
            source = CheckSource.fromWire(request.source());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("source", "must be one of mobile, web, kiosk, badge, manual, api"));
        }
        try {
            occurredAt = parseRfc3339(request.occurredAt());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("occurred_at", "must be an RFC 3339 date-time with an offset"));
        }
        if (!request.metadata().isObject()) {
            errors.add(new FieldError("metadata", "must be a JSON object"));
        } else if (JsonText.firstUnstorable(request.metadata()).isPresent()) {
            // jsonb refuses "\u0000": found here it is a 422, not a failed insert
            errors.add(new FieldError("metadata", "must be Unicode text without NUL characters"));
        } else {
            metadata = CanonicalJson.write(request.metadata());
            if (metadata.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
                errors.add(new FieldError("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new NewCheckEvent(request.workerId(), type, occurredAt, source, metadata);
    }

    /** Why a record was corrected: said in a sentence or a paragraph, not a document. */
    static final int MAX_REASON_LENGTH = 500;

    static NewCorrection parse(WorkerCheckEventCorrectionRequest request) {
        List<FieldError> errors = new ArrayList<>();
        CorrectionKind kind = null;
        Instant occurredAt = null;
        try {
            kind = CorrectionKind.fromWire(request.kind());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("kind", "must be amend_occurred_at, supply_check_out or supply_check_in"));
        }
        try {
            occurredAt = parseRfc3339(request.occurredAt());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("occurred_at", "must be an RFC 3339 date-time with an offset"));
        }
        // kept as written: its length is the contract's (code points), whitespace included
        String reason = request.reason();
        if (reason.isBlank()) {
            errors.add(new FieldError("reason", "must say why the record is corrected"));
        } else if (reason.codePointCount(0, reason.length()) > MAX_REASON_LENGTH) {
            errors.add(new FieldError("reason", "must be at most " + MAX_REASON_LENGTH + " characters"));
        } else if (reason.indexOf('\u0000') >= 0) {
            errors.add(new FieldError("reason", "must be Unicode text without NUL characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new NewCorrection(kind, occurredAt, reason);
    }

    /** RFC 3339: a date, a time and an explicit offset ({@code Z} or {@code ±hh:mm}). */
    static Instant parseRfc3339(String value) {
        if (value == null || value.length() > 40 || value.indexOf('T') != 10 && value.indexOf('t') != 10) {
            throw new DateTimeParseException("not RFC 3339", String.valueOf(value), 0);
        }
        return OffsetDateTime.parse(value.toUpperCase(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }
}
