package eu.erpdetachement.checkin.app;

import eu.erpdetachement.platform.audit.AuditRecord;
import eu.erpdetachement.platform.audit.AuditTrail;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.stereotype.Service;

import eu.erpdetachement.checkin.domain.ChainRecords;
import eu.erpdetachement.checkin.domain.CheckEventChain;
import eu.erpdetachement.checkin.domain.Correction;
import eu.erpdetachement.checkin.domain.CorrectionKind;
import eu.erpdetachement.checkin.domain.CorrectionPolicy;
import eu.erpdetachement.checkin.domain.EffectiveSequence;
import eu.erpdetachement.checkin.events.WorkerCheckEventCorrected;
import eu.erpdetachement.checkin.store.CheckEventStore;
import eu.erpdetachement.platform.outbox.OutboxEvent;
import eu.erpdetachement.platform.jdbc.RequestScope;
import eu.erpdetachement.platform.outbox.JdbcOutbox;
import eu.erpdetachement.platform.problem.ProblemException;

/**
 * A manager corrects a missed or wrong check event by appending a correction to the event's chain.
 * Runs inside the caller's transaction and under the chain's lock, like a check-in: of a correction
 * and a check-in (or two corrections) racing on one chain, the second sees the first.
 */
@Service
public class CorrectingCheckEvent {

    /** The appended correction, with the time an amendment replaced (null when it supplies an event). */
    public record Corrected(Correction correction, Instant replacedOccurredAt) {
    }

    private final CheckEventStore store;
    private final JdbcOutbox outbox;
    private final AuditTrail audit;
    private final Clock clock;
    private final CorrectionPolicy policy = new CorrectionPolicy();

    public CorrectingCheckEvent(CheckEventStore store, JdbcOutbox outbox, AuditTrail audit, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** The audit record of a correction (decision 0025): on the corrected event, with the time before and after. */
    static AuditRecord corrected(Correction correction, Instant replacedOccurredAt) {
        return AuditRecord.of(correction.tenantId(), correction.correctedBy(), "check_event.corrected", "check_event",
                        correction.correctedEventId())
                .set("correction_id", correction.correctionId()).set("kind", correction.kind().wireName())
                .set("mission_id", correction.missionId()).set("worker_id", correction.workerId())
                .change("occurred_at", replacedOccurredAt, correction.occurredAt()).set("reason", correction.reason())
                .build();
    }

    /** Appends the correction: call it in the unit of work's transaction. */
    public Corrected correct(UUID tenantId, UUID correctedBy, UUID missionId, UUID eventId, NewCorrection command,
            RequestScope scope) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID workerId = store.workerOfCorrectable(tenantId, missionId, eventId)
                .orElseThrow(() -> ProblemException.notFound("Check event"));
        store.lockChain(tenantId, missionId, workerId);
        ChainRecords records = store.records(tenantId, missionId, workerId);
        Correction correction = next(records, tenantId, correctedBy, eventId, command, now);
        Instant replaced = command.kind() == CorrectionKind.AMEND_OCCURRED_AT
                ? records.effective().find(eventId).map(EffectiveSequence.Entry::occurredAt).orElse(null)
                : null;
        Rejections.refuse(policy.check(records.events(), records.corrections(), correction, now));
        // the correction, its event and its audit record: one statement (decision 0039)
        outbox.appendWith(store.insertion(correction), scope, OutboxEvent.of(WorkerCheckEventCorrected.AGGREGATE_TYPE,
                        WorkerCheckEventCorrected.aggregateId(correction), WorkerCheckEventCorrected.TYPE, tenantId,
                        WorkerCheckEventCorrected.of(correction, replaced), now),
                audit.event(corrected(correction, replaced), scope));
        return new Corrected(correction, replaced);
    }

    private static Correction next(ChainRecords records, UUID tenantId, UUID correctedBy, UUID eventId,
            NewCorrection command, Instant now) {
        var links = records.links();
        CheckEventChain.StoredLink tail = links.get(links.size() - 1); // the named event is in the chain
        long sequenceNo = tail.link().sequenceNo() + 1;
        UUID id = UUID.randomUUID();
        Instant occurredAt = command.occurredAt().truncatedTo(ChronoUnit.MICROS);
        CheckEventChain.CorrectionLink link = new CheckEventChain.CorrectionLink(id, tenantId, records.missionId(),
                records.workerId(), command.kind(), eventId, occurredAt, command.reason(), correctedBy, sequenceNo,
                tail.storedHash());
        return new Correction(id, tenantId, records.missionId(), records.workerId(), command.kind(), eventId, occurredAt,
                command.reason(), correctedBy, now, sequenceNo, tail.storedHash(), CheckEventChain.hash(link));
    }
}
