package eu.erpdetachement.checkin.api;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.checkin.api.TimesheetDtos.WorkerTimesheet;
import eu.erpdetachement.checkin.app.ChainReads;
import eu.erpdetachement.checkin.app.TenantCheckinSettings;
import eu.erpdetachement.checkin.domain.Timesheet;
import eu.erpdetachement.checkin.store.CheckEventStore;
import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import eu.erpdetachement.platform.problem.FieldError;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.rbac.RouteAccess;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** GET /v1/workers/{worker_id}/timesheet: what an inspector reads, JSON or CSV (decision 0026). */
@RestController
public class TimesheetController {

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

    private final ChainReads reads;
    private final CheckEventStore store;
    private final TenantCheckinSettings settings;
    private final JsonMapper json;
    private final BlockingDataAccess data;

    public TimesheetController(ChainReads reads, CheckEventStore store, TenantCheckinSettings settings, JsonMapper json,
            BlockingDataAccess data) {
        this.data = data;
        this.reads = reads;
        this.store = store;
        this.settings = settings;
        this.json = json;
    }

    @GetMapping("/v1/workers/{worker_id}/timesheet")
    public Mono<ResponseEntity<String>> timesheet(@PathVariable("worker_id") UUID workerId,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestHeader(name = "Accept", required = false) String accept, Caller caller, RouteAccess access) {
        access.requireOwnWorkerOrAllowed(caller, workerId);
        MediaType format = negotiate(accept);
        LocalDate[] range = range(from, to);
        UUID tenant = caller.tenantId();
        return data.call(() -> store.isWorkerOfTenant(tenant, workerId))
                .flatMap(known -> known ? settings.zone(tenant) : Mono.error(ProblemException.notFound("Worker")))
                .flatMap(zone -> sheet(tenant, workerId, zone, range[0], range[1]))
                .map(sheet -> format.equals(TEXT_CSV)
                        ? ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8;header=present"))
                                .body(TimesheetCsv.write(sheet))
                        : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(sheet)));
    }

    private Mono<WorkerTimesheet> sheet(UUID tenant, UUID workerId, ZoneId zone, LocalDate from, LocalDate to) {
        return reads.chainsOfWorker(tenant, workerId, from.atStartOfDay(zone).toInstant(),
                        to.plusDays(1).atStartOfDay(zone).toInstant())
                .map(chains -> WorkerTimesheet.of(workerId, Timesheet.of(zone, from, to, chains)));
    }

    /** JSON unless the caller prefers CSV; 406 when it accepts neither. */
    static MediaType negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return MediaType.APPLICATION_JSON;
        }
        List<MediaType> accepted;
        try {
            accepted = new ArrayList<>(MediaType.parseMediaTypes(accept));
        } catch (InvalidMediaTypeException e) {
            throw new ProblemException(ProblemType.NOT_ACCEPTABLE, "The Accept header could not be read.");
        }
        accepted.sort((a, b) -> Double.compare(b.getQualityValue(), a.getQualityValue())); // stable: the caller's order on ties
        for (MediaType type : accepted) {
            if (type.getQualityValue() <= 0) {
                continue;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return MediaType.APPLICATION_JSON;
            }
            if (type.isCompatibleWith(TEXT_CSV)) {
                return TEXT_CSV;
            }
        }
        throw new ProblemException(ProblemType.NOT_ACCEPTABLE, "The time-sheet is application/json or text/csv.");
    }

    static LocalDate[] range(String from, String to) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate start = date("from", from, errors);
        LocalDate end = date("to", to, errors);
        if (start != null && end != null) {
            if (end.isBefore(start)) {
                errors.add(new FieldError("to", "must not be before from"));
            } else if (ChronoUnit.DAYS.between(start, end) + 1 > Timesheet.MAX_DAYS) {
                errors.add(new FieldError("to", "a time-sheet covers at most " + Timesheet.MAX_DAYS + " days"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new LocalDate[] {start, end};
    }

    private static LocalDate date(String name, String value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(name, "is required (a date, YYYY-MM-DD)"));
            return null;
        }
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("not YYYY-MM-DD", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be a date, YYYY-MM-DD"));
            return null;
        }
    }
}
