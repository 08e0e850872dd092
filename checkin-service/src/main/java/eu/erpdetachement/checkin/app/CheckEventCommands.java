package eu.erpdetachement.checkin.app;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.checkin.domain.CheckEvent;
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

    private final RecordingCheckEvent recording;
    private final Idempotency idempotency;
    private final TransactionalOperator transaction;
    private final JsonMapper json;

    public CheckEventCommands(RecordingCheckEvent recording, Idempotency idempotency, TransactionalOperator transaction,
            JsonMapper json) {
        this.recording = recording;
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

    private StoredResponse created(CheckEvent event) {
        String location = "/v1/missions/" + event.missionId() + "/worker-check-events/" + event.checkEventId();
        return StoredResponse.created(location, json.writeValueAsString(
                new Created(event.checkEventId(), event.missionId(), event.workerId(), event.type().wireName())));
    }
}
