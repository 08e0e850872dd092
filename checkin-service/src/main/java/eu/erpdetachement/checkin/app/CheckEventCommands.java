package eu.erpdetachement.checkin.app;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.checkin.domain.CheckEvent;
import eu.erpdetachement.checkin.domain.Correction;
import eu.erpdetachement.platform.idempotency.Idempotency;
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
    private final Idempotency idempotency;
    private final TransactionalOperator transaction;
    private final JsonMapper json;

    public CheckEventCommands(RecordingCheckEvent recording, CorrectingCheckEvent correcting, Idempotency idempotency,
            TransactionalOperator transaction, JsonMapper json) {
        this.recording = recording;
        this.correcting = correcting;
        this.idempotency = idempotency;
        this.transaction = transaction;
        this.json = json;
    }

    public Mono<StoredResponse> record(UUID tenantId, UUID recordedBy, UUID missionId, NewCheckEvent command,
            Optional<String> idempotencyKey, String canonicalRequest) {
        return idempotency.once(tenantId, recordedBy, "createWorkerCheckEvent:" + missionId, idempotencyKey, canonicalRequest,
                        () -> recording.record(tenantId, recordedBy, missionId, command).map(this::created))
                .as(transaction::transactional);
    }

    public Mono<StoredResponse> correct(UUID tenantId, UUID correctedBy, UUID missionId, UUID checkEventId,
            NewCorrection command, Optional<String> idempotencyKey, String canonicalRequest) {
        return idempotency.once(tenantId, correctedBy, "correctWorkerCheckEvent:" + checkEventId, idempotencyKey,
                        canonicalRequest,
                        () -> correcting.correct(tenantId, correctedBy, missionId, checkEventId, command).map(this::created))
                .as(transaction::transactional);
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
