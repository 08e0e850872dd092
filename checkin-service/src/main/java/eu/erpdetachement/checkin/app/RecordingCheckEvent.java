package eu.erpdetachement.checkin.app;

import java.time.Clock;
import java.time.Duration;
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
import eu.erpdetachement.checkin.events.WorkerCheckEventRecorded;
import eu.erpdetachement.checkin.store.CheckEventStore;
import eu.erpdetachement.platform.audit.AuditRecord;
import eu.erpdetachement.platform.audit.AuditTrail;
import eu.erpdetachement.platform.jdbc.RequestScope;
import eu.erpdetachement.platform.outbox.JdbcOutbox;
import eu.erpdetachement.platform.outbox.OutboxEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker, their manager or a kiosk records that work started or ended on a mission. Runs inside
 * the caller's transaction: the event, its place in the chain and its outbox row commit together.
 */
@Service
public class RecordingCheckEvent {

    private final CheckEventStore store;
    private final JdbcOutbox outbox;
    private final AuditTrail audit;
    private final JsonMapper json;
    private final Clock clock;
    private final CheckEventSequencePolicy sequencePolicy = new CheckEventSequencePolicy();
    private final OccurrenceWindowPolicy windowPolicy = new OccurrenceWindowPolicy();

    public RecordingCheckEvent(CheckEventStore store, JdbcOutbox outbox, AuditTrail audit, JsonMapper json, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Records the event: call it in the unit of work's transaction, with the tenant's backdating
     * window read before it (a cached setting, not worth a statement under the chain's lock).
     */
    public CheckEvent record(UUID tenantId, UUID recordedBy, UUID missionId, NewCheckEvent command, Duration backdatingWindow,
            RequestScope scope) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant occurredAt = command.occurredAt().truncatedTo(ChronoUnit.MICROS);
        Rejections.refuse(windowPolicy.check(occurredAt, now, backdatingWindow));
        Optional<ChainHead> head = lockedHead(tenantId, missionId, command.workerId());
        Rejections.refuse(sequencePolicy.check(head, command.type(), occurredAt));
        CheckEvent event = next(head, tenantId, recordedBy, missionId, command, occurredAt, now);
        // the event, its outbox row and its audit record: one statement, one round trip (decision 0039)
        outbox.appendWith(store.insertion(event), scope, OutboxEvent.of(WorkerCheckEventRecorded.AGGREGATE_TYPE,
                        WorkerCheckEventRecorded.aggregateId(event), WorkerCheckEventRecorded.TYPE, tenantId,
                        WorkerCheckEventRecorded.of(event, json.readTree(event.metadata())), now),
                audit.event(recorded(event), scope));
        return event;
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

    /**
     * What the new event must follow, read under the chain's lock. A corrected chain's effective
     * state needs the whole chain; an uncorrected one (the usual case) only its last event.
     */
    private Optional<ChainHead> lockedHead(UUID tenantId, UUID missionId, UUID workerId) {
        return store.lockChainAndReadLastEvent(tenantId, missionId, workerId)
                .flatMap(last -> last.corrected() ? store.records(tenantId, missionId, workerId).head() : Optional.of(last.head()));
    }
}
