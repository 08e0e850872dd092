package eu.erpdetachement.checkin.app;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;

import eu.erpdetachement.checkin.domain.ChainHead;
import eu.erpdetachement.checkin.domain.CheckEvent;
import eu.erpdetachement.checkin.domain.CheckEventChain;
import eu.erpdetachement.checkin.domain.CheckEventSequencePolicy;
import eu.erpdetachement.checkin.domain.OccurrenceWindowPolicy;
import eu.erpdetachement.checkin.domain.Rejection;
import eu.erpdetachement.checkin.events.WorkerCheckEventRecorded;
import eu.erpdetachement.checkin.store.CheckEventStore;
import eu.erpdetachement.platform.audit.AuditRecord;
import eu.erpdetachement.platform.audit.AuditTrail;
import eu.erpdetachement.platform.outbox.OutboxEvent;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.ProblemException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker, their manager or a kiosk records that work started or ended on a mission. Runs inside
 * the caller's transaction: the event, its place in the chain and its outbox row commit together.
 */
@Service
public class RecordingCheckEvent {

    private final CheckEventStore store;
    private final OutboxWriter outbox;
    private final AuditTrail audit;
    private final TenantCheckinSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final CheckEventSequencePolicy sequencePolicy = new CheckEventSequencePolicy();
    private final OccurrenceWindowPolicy windowPolicy = new OccurrenceWindowPolicy();

    public RecordingCheckEvent(CheckEventStore store, OutboxWriter outbox, AuditTrail audit, TenantCheckinSettings settings,
            JsonMapper json, Clock clock) {
        this.audit = audit;
        this.store = store;
        this.outbox = outbox;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    public Mono<CheckEvent> record(UUID tenantId, UUID recordedBy, UUID missionId, NewCheckEvent command) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant occurredAt = command.occurredAt().truncatedTo(ChronoUnit.MICROS);
        return settings.backdatingWindow(tenantId)
                .flatMap(window -> reject(windowPolicy.check(occurredAt, now, window)))
                .then(store.lockChain(tenantId, missionId, command.workerId()))
                .then(store.head(tenantId, missionId, command.workerId()).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .flatMap(head -> reject(sequencePolicy.check(head, command.type(), occurredAt))
                        .then(Mono.fromSupplier(() -> next(head, tenantId, recordedBy, missionId, command, occurredAt, now))))
                .flatMap(event -> store.insert(event)
                        .then(outbox.append(OutboxEvent.of(WorkerCheckEventRecorded.AGGREGATE_TYPE,
                                WorkerCheckEventRecorded.aggregateId(event), WorkerCheckEventRecorded.TYPE, tenantId,
                                WorkerCheckEventRecorded.of(event, json.readTree(event.metadata())), now)))
                        .then(audit.record(recorded(event)))
                        .thenReturn(event));
    }

    /** The audit record of a recorded event: what it says, not its metadata (the event keeps that, hash-chained). */
    static AuditRecord recorded(CheckEvent event) {
        return AuditRecord.of(event.tenantId(), event.recordedBy(), "check_event.recorded", "check_event", event.checkEventId())
                .set("mission_id", event.missionId()).set("worker_id", event.workerId())
                .set("event_type", event.type().wireName()).set("occurred_at", event.occurredAt())
                .set("source", event.source().wireName()).set("sequence_no", event.sequenceNo())
                .build();
    }

    private static CheckEvent next(Optional<ChainHead> head, UUID tenantId, UUID recordedBy, UUID missionId,
            NewCheckEvent command, Instant occurredAt, Instant now) {
        long sequenceNo = head.map(h -> h.sequenceNo() + 1).orElse(1L);
        String previousHash = head.map(ChainHead::hash).orElse(null);
        UUID id = UUID.randomUUID();
        String hash = CheckEventChain.hash(new CheckEventChain.Link(id, tenantId, missionId, command.workerId(),
                command.type(), occurredAt, command.source(), command.canonicalMetadata(), recordedBy, sequenceNo,
                previousHash));
        return new CheckEvent(id, tenantId, missionId, command.workerId(), command.type(), occurredAt, now,
                command.source(), command.canonicalMetadata(), recordedBy, sequenceNo, previousHash, hash);
    }

    private static Mono<Void> reject(Optional<Rejection> rejection) {
        return rejection.<Mono<Void>>map(r -> Mono.error(switch (r.kind()) {
            case OUT_OF_SEQUENCE -> ProblemException.conflict(r.reason(), java.util.Map.of("current_state", r.currentState()));
            case TIME_OUT_OF_RANGE -> ProblemException.validation("occurred_at", r.reason());
        })).orElse(Mono.empty());
    }
}
