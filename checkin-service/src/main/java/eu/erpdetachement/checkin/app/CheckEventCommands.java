package eu.erpdetachement.checkin.app;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import eu.erpdetachement.checkin.domain.CheckEvent;
import eu.erpdetachement.checkin.domain.Correction;
import eu.erpdetachement.platform.idempotency.JdbcIdempotency;
import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.revocation.JdbcCallerStateLookup;
import eu.erpdetachement.platform.idempotency.StoredResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transaction around a create: the idempotency key, the event, its chain link and its outbox
 * row commit together or not at all; a retry with the same key gets the first answer back.
 */
@Service
public class CheckEventCommands {

    /** {@code WorkerCheckEventCreateResponse}. */
    public record Created(UUID checkEventId, UUID missionId, UUID workerId, String eventType) {
    }

    /** {@code WorkerCheckEventCorrection}. */
    public record CorrectionCreated(UUID correctionId, UUID missionId, UUID workerId, UUID checkEventId, String kind,
            Instant occurredAt, Instant replacedOccurredAt, String reason, UUID correctedBy, Instant recordedAt,
            String previousHash, String hash) {
    }

    private final RecordingCheckEvent recording;
    private final CorrectingCheckEvent correcting;
    private final TenantCheckinSettings settings;
    private final JdbcIdempotency idempotency;
    private final BlockingDataAccess data;
    private final JdbcCallerStateLookup callers;
    private final JsonMapper json;

    public CheckEventCommands(RecordingCheckEvent recording, CorrectingCheckEvent correcting, TenantCheckinSettings settings,
            JdbcIdempotency idempotency, BlockingDataAccess data, JdbcCallerStateLookup callers, JsonMapper json) {
        this.callers = callers;
        this.recording = recording;
        this.correcting = correcting;
        this.settings = settings;
        this.idempotency = idempotency;
        this.data = data;
        this.json = json;
    }

    /** @param checkWorker whether the worker must be checked (an active worker of the tenant): not when it records for itself */
    public Mono<StoredResponse> record(UUID tenantId, UUID recordedBy, UUID missionId, NewCheckEvent command,
            boolean checkWorker, Optional<String> idempotencyKey, String canonicalRequest) {
        return settings.backdatingWindow(tenantId).flatMap(window -> data.inTransaction(scope -> {
            if (checkWorker && !callers.isActiveWorker(tenantId, command.workerId())) {
                throw ProblemException.validation("worker_id", "must name an active worker of the tenant");
            }
            return idempotency.once(tenantId, recordedBy, "createWorkerCheckEvent:" + missionId, idempotencyKey,
                    canonicalRequest, () -> created(recording.record(tenantId, recordedBy, missionId, command, window, scope)));
        }));
    }

    public Mono<StoredResponse> correct(UUID tenantId, UUID correctedBy, UUID missionId, UUID checkEventId,
            NewCorrection command, Optional<String> idempotencyKey, String canonicalRequest) {
        return data.inTransaction(scope -> idempotency.once(tenantId, correctedBy, "correctWorkerCheckEvent:" + checkEventId,
                idempotencyKey, canonicalRequest,
                () -> created(correcting.correct(tenantId, correctedBy, missionId, checkEventId, command, scope))));
    }

    private StoredResponse created(CorrectingCheckEvent.Corrected corrected) {
        Correction c = corrected.correction();
        // the corrected day is read in the worker's time-sheet; a correction has no route of its own
        return new StoredResponse(201, null, json.writeValueAsString(new CorrectionCreated(c.correctionId(), c.missionId(),
                c.workerId(), c.correctedEventId(), c.kind().wireName(), c.occurredAt(), corrected.replacedOccurredAt(),
                c.reason(), c.correctedBy(), c.recordedAt(), c.previousHash(), c.hash())), false);
    }

    private StoredResponse created(CheckEvent event) {
        String location = "/v1/missions/" + event.missionId() + "/worker-check-events/" + event.checkEventId();
        return StoredResponse.created(location, json.writeValueAsString(
                new Created(event.checkEventId(), event.missionId(), event.workerId(), event.type().wireName())));
    }
}
