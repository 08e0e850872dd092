package eu.erpdetachement.checkin.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import eu.erpdetachement.checkin.domain.ChainHead;
import eu.erpdetachement.checkin.domain.ChainRecords;
import eu.erpdetachement.checkin.domain.Correction;
import eu.erpdetachement.checkin.domain.CorrectionKind;
import eu.erpdetachement.checkin.domain.CheckEvent;
import eu.erpdetachement.checkin.domain.CheckEventType;
import eu.erpdetachement.checkin.domain.CheckSource;
import eu.erpdetachement.platform.json.CanonicalJson;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SQL for check events; every statement is scoped by tenant. */
@Repository
public class CheckEventStore {

    private static final String COLUMNS = """
            check_event_id, tenant_id, mission_id, worker_id, event_type, occurred_at, recorded_at, source,
            metadata::text AS metadata, recorded_by, sequence_no, previous_hash, hash""";

    private static final String CORRECTION_COLUMNS = """
            correction_id, tenant_id, mission_id, worker_id, kind, corrected_event_id, occurred_at, reason, corrected_by,
            recorded_at, sequence_no, previous_hash, hash""";

    private final DatabaseClient db;

    public CheckEventStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Serialises writers of one chain until the transaction ends, so the head they read stays the
     * head: of two racing check-ins, the second sees the first and is refused.
     */
    public Mono<Void> lockChain(UUID tenantId, UUID missionId, UUID workerId) {
        return db.sql("SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(:chain, 0))")
                .bind("chain", tenantId + "/" + missionId + "/" + workerId)
                .map(row -> 1).first().then();
    }

    /** The chain's last check event, and whether corrections were appended to the chain. */
    public record LastEvent(ChainHead head, boolean corrected) {
    }

    /**
     * {@link #lockChain} then the chain's last event, in one round trip (the function of migration
     * V62): the lock is held until the transaction ends, and the uncorrected chain (the usual case)
     * needs nothing more.
     */
    public Mono<LastEvent> lockChainAndReadLastEvent(UUID tenantId, UUID missionId, UUID workerId) {
        return db.sql("SELECT * FROM locked_chain_head(:tenant, :mission, :worker)")
                .bind("tenant", tenantId).bind("mission", missionId).bind("worker", workerId)
                .map(row -> new LastEvent(new ChainHead(row.get("head_id", UUID.class), row.get("head_sequence_no", Long.class),
                        CheckEventType.fromWire(row.get("head_event_type", String.class)),
                        row.get("head_occurred_at", OffsetDateTime.class).toInstant(), row.get("head_hash", String.class)),
                        Boolean.TRUE.equals(row.get("chain_corrected", Boolean.class))))
                .one();
    }

    /** The whole chain: its events, then its corrections (two statements: run it inside one snapshot). */
    public Mono<ChainRecords> records(UUID tenantId, UUID missionId, UUID workerId) {
        return chain(tenantId, missionId, workerId).collectList()
                .flatMap(events -> corrections(tenantId, missionId, workerId).collectList()
                        .map(corrections -> new ChainRecords(missionId, workerId, events, corrections)));
    }

    public Flux<Correction> corrections(UUID tenantId, UUID missionId, UUID workerId) {
        return db.sql("SELECT " + CORRECTION_COLUMNS + " FROM check_event_corrections "
                + "WHERE tenant_id = :tenant AND mission_id = :mission AND worker_id = :worker ORDER BY sequence_no")
                .bind("tenant", tenantId).bind("mission", missionId).bind("worker", workerId)
                .map(CheckEventStore::readCorrection).all();
    }

    /** The chain a correctable event belongs to: a check event, or an event a correction supplied. */
    public Mono<UUID> workerOfCorrectable(UUID tenantId, UUID missionId, UUID eventId) {
        return db.sql("""
                SELECT worker_id FROM worker_check_events WHERE tenant_id = :tenant AND mission_id = :mission AND check_event_id = :id
                UNION ALL
                SELECT worker_id FROM check_event_corrections WHERE tenant_id = :tenant AND mission_id = :mission
                    AND correction_id = :id AND kind <> 'amend_occurred_at'""")
                .bind("tenant", tenantId).bind("mission", missionId).bind("id", eventId)
                .map(row -> row.get("worker_id", UUID.class)).first();
    }

    public Mono<Void> insert(Correction c) {
        var spec = db.sql("""
                INSERT INTO check_event_corrections (correction_id, tenant_id, mission_id, worker_id, kind, corrected_event_id,
                    occurred_at, reason, corrected_by, recorded_at, sequence_no, previous_hash, hash)
                VALUES (:id, :tenant, :mission, :worker, :kind, :corrected, :occurred, :reason, :by, :recorded, :seq,
                    :previous, :hash)""")
                .bind("id", c.correctionId()).bind("tenant", c.tenantId()).bind("mission", c.missionId())
                .bind("worker", c.workerId()).bind("kind", c.kind().wireName()).bind("corrected", c.correctedEventId())
                .bind("occurred", utc(c.occurredAt())).bind("reason", c.reason()).bind("by", c.correctedBy())
                .bind("recorded", utc(c.recordedAt())).bind("seq", c.sequenceNo()).bind("hash", c.hash());
        spec = c.previousHash() == null ? spec.bindNull("previous", String.class) : spec.bind("previous", c.previousHash());
        return spec.then();
    }

    /**
     * A worker of the tenant: identity announced it (whatever its status now), or it has records
     * here (an erased worker keeps its id as a pseudonym, and its records stay until their retention ends).
     */
    public Mono<Boolean> isWorkerOfTenant(UUID tenantId, UUID workerId) {
        return db.sql("""
                SELECT EXISTS (SELECT 1 FROM caller_states WHERE tenant_id = :tenant AND worker_id = :worker)
                    OR EXISTS (SELECT 1 FROM worker_check_events WHERE tenant_id = :tenant AND worker_id = :worker) AS known""")
                .bind("tenant", tenantId).bind("worker", workerId)
                .map(row -> Boolean.TRUE.equals(row.get("known", Boolean.class))).one();
    }

    /**
     * The missions on which a worker has an event or a correction in [from, to): the chains a
     * time-sheet of those instants covers (an effective event in range is one or the other).
     */
    public Flux<UUID> missionsOfWorker(UUID tenantId, UUID workerId, Instant from, Instant to) {
        return db.sql("""
                SELECT mission_id FROM worker_check_events
                WHERE tenant_id = :tenant AND worker_id = :worker AND occurred_at >= :from AND occurred_at < :to
                UNION
                SELECT mission_id FROM check_event_corrections
                WHERE tenant_id = :tenant AND worker_id = :worker AND occurred_at >= :from AND occurred_at < :to
                ORDER BY mission_id""")
                .bind("tenant", tenantId).bind("worker", workerId).bind("from", utc(from)).bind("to", utc(to))
                .map(row -> row.get("mission_id", UUID.class)).all();
    }

    /** The insert of {@code e}, for the outbox to send with its events in one statement (decision 0039). */
    public OutboxWriter.Change insertion(CheckEvent e) {
        return new OutboxWriter.Change("""
                INSERT INTO worker_check_events (check_event_id, tenant_id, mission_id, worker_id, event_type, occurred_at,
                    recorded_at, source, metadata, recorded_by, sequence_no, previous_hash, hash)
                VALUES (:id, :tenant, :mission, :worker, :type, :occurred, :recorded, :source, CAST(:metadata AS jsonb),
                    :recorded_by, :seq, :previous, :hash)""", spec -> {
            var bound = spec.bind("id", e.checkEventId()).bind("tenant", e.tenantId()).bind("mission", e.missionId())
                    .bind("worker", e.workerId()).bind("type", e.type().wireName()).bind("occurred", utc(e.occurredAt()))
                    .bind("recorded", utc(e.recordedAt())).bind("source", e.source().wireName())
                    .bind("metadata", e.metadata()).bind("recorded_by", e.recordedBy()).bind("seq", e.sequenceNo())
                    .bind("hash", e.hash());
            return e.previousHash() == null ? bound.bindNull("previous", String.class) : bound.bind("previous", e.previousHash());
        });
    }

    public Mono<CheckEvent> find(UUID tenantId, UUID missionId, UUID checkEventId) {
        return db.sql("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND mission_id = :mission AND check_event_id = :id")
                .bind("tenant", tenantId).bind("mission", missionId).bind("id", checkEventId)
                .map(CheckEventStore::read).one();
    }

    /** One page of a mission's events in (occurred_at, check_event_id) order, after the cursor position. */
    public Flux<CheckEvent> page(UUID tenantId, UUID missionId, UUID workerId, Instant from, Instant to,
            Instant afterOccurredAt, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND mission_id = :mission");
        if (workerId != null) {
            sql.append(" AND worker_id = :worker");
        }
        if (from != null) {
            sql.append(" AND occurred_at >= :from");
        }
        if (to != null) {
            sql.append(" AND occurred_at < :to");
        }
        if (afterId != null) {
            sql.append(" AND (occurred_at, check_event_id) > (:after_at, :after_id)");
        }
        sql.append(" ORDER BY occurred_at, check_event_id LIMIT :limit");
        var spec = db.sql(sql.toString()).bind("tenant", tenantId).bind("mission", missionId).bind("limit", limit);
        if (workerId != null) {
            spec = spec.bind("worker", workerId);
        }
        if (from != null) {
            spec = spec.bind("from", utc(from));
        }
        if (to != null) {
            spec = spec.bind("to", utc(to));
        }
        if (afterId != null) {
            spec = spec.bind("after_at", utc(afterOccurredAt)).bind("after_id", afterId);
        }
        return spec.map(CheckEventStore::read).all();
    }

    /** A whole chain in sequence order, for verification. */
    public Flux<CheckEvent> chain(UUID tenantId, UUID missionId, UUID workerId) {
        return db.sql("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND mission_id = :mission AND worker_id = :worker ORDER BY sequence_no")
                .bind("tenant", tenantId).bind("mission", missionId).bind("worker", workerId)
                .map(CheckEventStore::read).all();
    }

    /** Every event where the person is the worker (null: none) or the recorder, by chain and sequence. */
    public Flux<CheckEvent> ofPerson(UUID tenantId, UUID userId, UUID workerId) {
        return db.sql("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND (worker_id = :worker OR recorded_by = :user) ORDER BY mission_id, worker_id, sequence_no")
                .bind("tenant", tenantId).bind("user", userId).bind("worker", workerId == null ? new UUID(0, 0) : workerId)
                .map(CheckEventStore::read).all();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Correction readCorrection(Readable row) {
        return new Correction(row.get("correction_id", UUID.class), row.get("tenant_id", UUID.class),
                row.get("mission_id", UUID.class), row.get("worker_id", UUID.class),
                CorrectionKind.fromWire(row.get("kind", String.class)), row.get("corrected_event_id", UUID.class),
                row.get("occurred_at", OffsetDateTime.class).toInstant(), row.get("reason", String.class),
                row.get("corrected_by", UUID.class), row.get("recorded_at", OffsetDateTime.class).toInstant(),
                row.get("sequence_no", Long.class), row.get("previous_hash", String.class), row.get("hash", String.class));
    }

    static CheckEvent read(Readable row) {
        return new CheckEvent(
                row.get("check_event_id", UUID.class), row.get("tenant_id", UUID.class),
                row.get("mission_id", UUID.class), row.get("worker_id", UUID.class),
                CheckEventType.fromWire(row.get("event_type", String.class)),
                row.get("occurred_at", OffsetDateTime.class).toInstant(),
                row.get("recorded_at", OffsetDateTime.class).toInstant(),
                CheckSource.fromWire(row.get("source", String.class)),
                // jsonb prints its own way: hash and compare the canonical form
                CanonicalJson.canonicalize(row.get("metadata", String.class)), row.get("recorded_by", UUID.class),
                row.get("sequence_no", Long.class), row.get("previous_hash", String.class), row.get("hash", String.class));
    }
}
