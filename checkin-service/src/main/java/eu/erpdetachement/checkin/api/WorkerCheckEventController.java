package eu.erpdetachement.checkin.api;

import eu.erpdetachement.platform.json.CanonicalJson;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.checkin.api.CheckEventDtos.ChainVerification;
import eu.erpdetachement.checkin.api.CheckEventDtos.WorkerCheckEvent;
import eu.erpdetachement.checkin.api.CheckEventDtos.WorkerCheckEventCorrectionRequest;
import eu.erpdetachement.checkin.api.CheckEventDtos.WorkerCheckEventCreateRequest;
import eu.erpdetachement.checkin.api.CheckEventDtos.WorkerCheckEventList;
import eu.erpdetachement.checkin.app.CheckEventCommands;
import eu.erpdetachement.checkin.app.ChainReads;
import eu.erpdetachement.checkin.app.NewCheckEvent;
import eu.erpdetachement.checkin.app.NewCorrection;
import eu.erpdetachement.checkin.domain.ChainRecords;
import eu.erpdetachement.checkin.domain.CheckEvent;
import eu.erpdetachement.checkin.store.CheckEventStore;
import eu.erpdetachement.platform.idempotency.Idempotency;
import eu.erpdetachement.platform.idempotency.StoredResponse;
import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import eu.erpdetachement.platform.paging.KeysetCursor;
import eu.erpdetachement.platform.paging.PageLimit;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.rbac.RouteAccess;
import eu.erpdetachement.platform.security.Caller;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** POST and reads of /v1/missions/{mission_id}/worker-check-events. */
@RestController
public class WorkerCheckEventController {

    private static final String BASE = "/v1/missions/{mission_id}/worker-check-events";

    private final CheckEventCommands commands;
    private final CheckEventStore store;
    private final JsonMapper json;
    private final ChainReads reads;
    private final BlockingDataAccess data;

    public WorkerCheckEventController(CheckEventCommands commands, CheckEventStore store, JsonMapper json,
            ChainReads reads, BlockingDataAccess data) {
        this.data = data;
        this.reads = reads;
        this.commands = commands;
        this.store = store;
        this.json = json;
    }

    @PostMapping(path = BASE, consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> create(@PathVariable("mission_id") UUID missionId,
            @Valid @RequestBody WorkerCheckEventCreateRequest request,
            @RequestHeader(name = Idempotency.HEADER, required = false) String idempotencyKey,
            Caller caller, RouteAccess access) {
        access.requireOwnWorkerOrAllowed(caller, request.workerId());
        NewCheckEvent command = CheckEventRequests.parse(request);
        // what a replay of the key is compared with; without a key nothing is compared (a tree and its
        // canonical text made for every check-in, for nothing)
        String fingerprint = idempotencyKey == null ? null : CanonicalJson.write(json.valueToTree(request));
        // a worker acting for itself is already known active (its token passed the caller state);
        // anyone else must name an active worker of the tenant, as identity last announced it
        return commands.record(caller.tenantId(), caller.userId(), missionId, command, !access.isRestricted(),
                        Optional.ofNullable(idempotencyKey), fingerprint)
                .map(StoredResponse::toResponseEntity);
    }

    /** Appends a correction to the named event's chain (decision 0026); the worker may not correct its own records. */
    @PostMapping(path = BASE + "/{check_event_id}:correct", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> correct(@PathVariable("mission_id") UUID missionId,
            @PathVariable("check_event_id") UUID checkEventId,
            @Valid @RequestBody WorkerCheckEventCorrectionRequest request,
            @RequestHeader(name = Idempotency.HEADER, required = false) String idempotencyKey, Caller caller) {
        NewCorrection command = CheckEventRequests.parse(request);
        // the same key and body on another mission's path is another request
        String fingerprint = missionId + "\n" + CanonicalJson.write(json.valueToTree(request));
        return commands.correct(caller.tenantId(), caller.userId(), missionId, checkEventId, command,
                        Optional.ofNullable(idempotencyKey), fingerprint)
                .map(StoredResponse::toResponseEntity);
    }

    @GetMapping(BASE + "/{check_event_id}")
    public Mono<WorkerCheckEvent> get(@PathVariable("mission_id") UUID missionId,
            @PathVariable("check_event_id") UUID checkEventId, Caller caller, RouteAccess access) {
        return data.call(() -> store.find(caller.tenantId(), missionId, checkEventId).orElse(null))
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("Check event")))
                .doOnNext(event -> access.requireOwnWorkerOrAllowed(caller, event.workerId()))
                .map(WorkerCheckEvent::of);
    }

    @GetMapping(BASE)
    public Mono<WorkerCheckEventList> list(@PathVariable("mission_id") UUID missionId,
            @RequestParam(name = "worker_id", required = false) UUID workerId,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "cursor", required = false) String cursor,
            Caller caller, RouteAccess access) {
        UUID worker = workerId != null ? workerId : access.isRestricted() ? caller.workerId().orElse(null) : null;
        if (access.isRestricted()) {
            access.requireOwnWorkerOrAllowed(caller, worker);
        }
        int pageSize = PageLimit.of(limit);
        Instant fromInstant = instantParam("from", from);
        Instant toInstant = instantParam("to", to);
        Instant afterAt = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> parts = KeysetCursor.decode(cursor, 2);
            try {
                afterAt = Instant.parse(parts.get(0));
                afterId = UUID.fromString(parts.get(1));
            } catch (RuntimeException e) {
                throw ProblemException.validation("cursor", "is not a cursor this API returned");
            }
        }
        UUID afterEventId = afterId;
        Instant afterOccurredAt = afterAt;
        return data.call(() -> store.page(caller.tenantId(), missionId, worker, fromInstant, toInstant, afterOccurredAt,
                        afterEventId, pageSize + 1))
                .map(events -> {
                    boolean more = events.size() > pageSize;
                    List<CheckEvent> page = more ? events.subList(0, pageSize) : events;
                    CheckEvent last = page.isEmpty() ? null : page.get(page.size() - 1);
                    String next = more ? KeysetCursor.encode(last.occurredAt().toString(), last.checkEventId().toString()) : null;
                    return new WorkerCheckEventList(page.stream().map(WorkerCheckEvent::of).toList(), next);
                });
    }

    @GetMapping(BASE + ":verify")
    public Mono<ChainVerification> verify(@PathVariable("mission_id") UUID missionId,
            @RequestParam(name = "worker_id") UUID workerId, Caller caller, RouteAccess access) {
        access.requireOwnWorkerOrAllowed(caller, workerId);
        return reads.chain(caller.tenantId(), missionId, workerId)
                .map(ChainRecords::verify)
                .map(v -> ChainVerification.of(missionId, workerId, v));
    }

    private static Instant instantParam(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return CheckEventRequests.parseRfc3339(value);
        } catch (RuntimeException e) {
            throw ProblemException.validation(name, "must be an RFC 3339 date-time with an offset");
        }
    }
}
