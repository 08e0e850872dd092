package eu.erpdetachement.checkin.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import eu.erpdetachement.checkin.domain.ChainHead;
import eu.erpdetachement.checkin.domain.ChainRecords;
import eu.erpdetachement.checkin.domain.Correction;
import eu.erpdetachement.checkin.domain.CorrectionKind;
import eu.erpdetachement.checkin.domain.CheckEvent;
import eu.erpdetachement.checkin.domain.CheckEventType;
import eu.erpdetachement.checkin.domain.CheckSource;
import eu.erpdetachement.platform.json.CanonicalJson;
import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import eu.erpdetachement.platform.outbox.JdbcOutbox;

/**
 * SQL for check events, on JDBC (decision 0044): call it from a unit of work of
 * {@link BlockingDataAccess}, on its thread and in its transaction. Every statement is scoped by tenant.
 */
@Repository
public class CheckEventStore {

    private static final String COLUMNS = """
            check_event_id, tenant_id, mission_id, worker_id, event_type, occurred_at, recorded_at, source,
            metadata::text AS metadata, recorded_by, sequence_no, previous_hash, hash""";

    private static final String CORRECTION_COLUMNS = """
            correction_id, tenant_id, mission_id, worker_id, kind, corrected_event_id, occurred_at, reason, corrected_by,
            recorded_at, sequence_no, previous_hash, hash""";

    private final JdbcClient db;

    public CheckEventStore(BlockingDataAccess data) {
        this.db = data.jdbc();
    }

    /** The chain's last check event, and whether corrections were appended to the chain. */
    public record LastEvent(ChainHead head, boolean corrected) {
    }

    /**
     * Serialises writers of one chain until the transaction ends, so the head they read stays the
     * head: of two racing writers, the second sees the first.
     */
    public void lockChain(UUID tenantId, UUID missionId, UUID workerId) {
        db.sql("SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(:chain, 0))")
                .param("chain", tenantId + "/" + missionId + "/" + workerId).query(Integer.class).single();
    }

    /**
     * {@link #lockChain} then the chain's last event, in one round trip (the function of migration
     * V62): the lock is held until the transaction ends, and the uncorrected chain (the usual case)
     * needs nothing more. Empty for a chain without events.
     */
    public Optional<LastEvent> lockChainAndReadLastEvent(UUID tenantId, UUID missionId, UUID workerId) {
        return db.sql("SELECT * FROM locked_chain_head(:tenant, :mission, :worker)")
                .param("tenant", tenantId).param("mission", missionId).param("worker", workerId)
                .query((row, i) -> new LastEvent(new ChainHead(row.getObject("head_id", UUID.class), row.getLong("head_sequence_no"),
                        CheckEventType.fromWire(row.getString("head_event_type")),
                        row.getObject("head_occurred_at", OffsetDateTime.class).toInstant(), row.getString("head_hash")),
                        row.getBoolean("chain_corrected")))
                .optional();
    }

    /** The whole chain: its events, then its corrections (two statements: run it inside one snapshot). */
    public ChainRecords records(UUID tenantId, UUID missionId, UUID workerId) {
        return new ChainRecords(missionId, workerId, chain(tenantId, missionId, workerId),
                corrections(tenantId, missionId, workerId));
    }

    public List<Correction> corrections(UUID tenantId, UUID missionId, UUID workerId) {
        return db.sql("SELECT " + CORRECTION_COLUMNS + " FROM check_event_corrections "
                + "WHERE tenant_id = :tenant AND mission_id = :mission AND worker_id = :worker ORDER BY sequence_no")
                .param("tenant", tenantId).param("mission", missionId).param("worker", workerId)
                .query((row, i) -> readCorrection(row)).list();
    }

    /** The chain a correctable event belongs to: a check event, or an event a correction supplied. */
    public Optional<UUID> workerOfCorrectable(UUID tenantId, UUID missionId, UUID eventId) {
        return db.sql("""
                SELECT worker_id FROM worker_check_events WHERE tenant_id = :tenant AND mission_id = :mission AND check_event_id = :id
                UNION ALL
                SELECT worker_id FROM check_event_corrections WHERE tenant_id = :tenant AND mission_id = :mission
                    AND correction_id = :id AND kind <> 'amend_occurred_at'""")
                .param("tenant", tenantId).param("mission", missionId).param("id", eventId)
                .query((row, i) -> row.getObject("worker_id", UUID.class)).list().stream().findFirst();
    }

    /** The insert of {@code c}, for the outbox to send with its events in one statement (decision 0039). */
    public JdbcOutbox.Change insertion(Correction c) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", c.correctionId());
        parameters.put("tenant", c.tenantId());
        parameters.put("mission", c.missionId());
        parameters.put("worker", c.workerId());
        parameters.put("kind", c.kind().wireName());
        parameters.put("corrected", c.correctedEventId());
        parameters.put("occurred", utc(c.occurredAt()));
        parameters.put("reason", c.reason());
        parameters.put("by", c.correctedBy());
        parameters.put("recorded", utc(c.recordedAt()));
        parameters.put("seq", c.sequenceNo());
        parameters.put("previous", c.previousHash());
        parameters.put("hash", c.hash());
        return new JdbcOutbox.Change("""
                INSERT INTO check_event_corrections (correction_id, tenant_id, mission_id, worker_id, kind, corrected_event_id,
                    occurred_at, reason, corrected_by, recorded_at, sequence_no, previous_hash, hash)
                VALUES (:id, :tenant, :mission, :worker, :kind, :corrected, :occurred, :reason, :by, :recorded, :seq,
                    :previous, :hash)""", parameters);
    }

    /**
     * A worker of the tenant: identity announced it (whatever its status now), or it has records
     * here (an erased worker keeps its id as a pseudonym, and its records stay until their retention ends).
     */
    public boolean isWorkerOfTenant(UUID tenantId, UUID workerId) {
        return Boolean.TRUE.equals(db.sql("""
                SELECT EXISTS (SELECT 1 FROM caller_states WHERE tenant_id = :tenant AND worker_id = :worker)
                    OR EXISTS (SELECT 1 FROM worker_check_events WHERE tenant_id = :tenant AND worker_id = :worker) AS known""")
                .param("tenant", tenantId).param("worker", workerId).query(Boolean.class).single());
    }

    /**
     * The missions on which a worker has an event or a correction in [from, to): the chains a
     * time-sheet of those instants covers (an effective event in range is one or the other).
     */
    public List<UUID> missionsOfWorker(UUID tenantId, UUID workerId, Instant from, Instant to) {
        return db.sql("""
                SELECT mission_id FROM worker_check_events
                WHERE tenant_id = :tenant AND worker_id = :worker AND occurred_at >= :from AND occurred_at < :to
                UNION
                SELECT mission_id FROM check_event_corrections
                WHERE tenant_id = :tenant AND worker_id = :worker AND occurred_at >= :from AND occurred_at < :to
                ORDER BY mission_id""")
                .param("tenant", tenantId).param("worker", workerId).param("from", utc(from)).param("to", utc(to))
                .query((row, i) -> row.getObject("mission_id", UUID.class)).list();
    }

    /** The insert of {@code e}, for the outbox to send with its events in one statement (decision 0039). */
    public JdbcOutbox.Change insertion(CheckEvent e) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", e.checkEventId());
        parameters.put("tenant", e.tenantId());
        parameters.put("mission", e.missionId());
        parameters.put("worker", e.workerId());
        parameters.put("type", e.type().wireName());
        parameters.put("occurred", utc(e.occurredAt()));
        parameters.put("recorded", utc(e.recordedAt()));
        parameters.put("source", e.source().wireName());
        parameters.put("metadata", e.metadata());
        parameters.put("recorded_by", e.recordedBy());
        parameters.put("seq", e.sequenceNo());
        parameters.put("previous", e.previousHash());
        parameters.put("hash", e.hash());
        return new JdbcOutbox.Change("""
                INSERT INTO worker_check_events (check_event_id, tenant_id, mission_id, worker_id, event_type, occurred_at,
                    recorded_at, source, metadata, recorded_by, sequence_no, previous_hash, hash)
                VALUES (:id, :tenant, :mission, :worker, :type, :occurred, :recorded, :source, CAST(:metadata AS jsonb),
                    :recorded_by, :seq, :previous, :hash)""", parameters);
    }

    public Optional<CheckEvent> find(UUID tenantId, UUID missionId, UUID checkEventId) {
        return db.sql("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND mission_id = :mission AND check_event_id = :id")
                .param("tenant", tenantId).param("mission", missionId).param("id", checkEventId)
                .query((row, i) -> read(row)).optional();
    }

    /** One page of a mission's events in (occurred_at, check_event_id) order, after the cursor position. */
    public List<CheckEvent> page(UUID tenantId, UUID missionId, UUID workerId, Instant from, Instant to,
            Instant afterOccurredAt, UUID afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND mission_id = :mission");
        Map<String, Object> parameters = new HashMap<>(Map.of("tenant", tenantId, "mission", missionId, "limit", limit));
        if (workerId != null) {
            sql.append(" AND worker_id = :worker");
            parameters.put("worker", workerId);
        }
        if (from != null) {
            sql.append(" AND occurred_at >= :from");
            parameters.put("from", utc(from));
        }
        if (to != null) {
            sql.append(" AND occurred_at < :to");
            parameters.put("to", utc(to));
        }
        if (afterId != null) {
            sql.append(" AND (occurred_at, check_event_id) > (:after_at, :after_id)");
            parameters.put("after_at", utc(afterOccurredAt));
            parameters.put("after_id", afterId);
        }
        sql.append(" ORDER BY occurred_at, check_event_id LIMIT :limit");
        return db.sql(sql.toString()).params(parameters).query((row, i) -> read(row)).list();
    }

    /** A whole chain in sequence order, for verification. */
    public List<CheckEvent> chain(UUID tenantId, UUID missionId, UUID workerId) {
        return db.sql("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND mission_id = :mission AND worker_id = :worker ORDER BY sequence_no")
                .param("tenant", tenantId).param("mission", missionId).param("worker", workerId)
                .query((row, i) -> read(row)).list();
    }

    /** Every event where the person is the worker (null: none) or the recorder, by chain and sequence. */
    public List<CheckEvent> ofPerson(UUID tenantId, UUID userId, UUID workerId) {
        return db.sql("SELECT " + COLUMNS + " FROM worker_check_events "
                + "WHERE tenant_id = :tenant AND (worker_id = :worker OR recorded_by = :user) ORDER BY mission_id, worker_id, sequence_no")
                .param("tenant", tenantId).param("user", userId).param("worker", workerId == null ? new UUID(0, 0) : workerId)
                .query((row, i) -> read(row)).list();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Correction readCorrection(ResultSet row) throws SQLException {
        return new Correction(row.getObject("correction_id", UUID.class), row.getObject("tenant_id", UUID.class),
                row.getObject("mission_id", UUID.class), row.getObject("worker_id", UUID.class),
                CorrectionKind.fromWire(row.getString("kind")), row.getObject("corrected_event_id", UUID.class),
                row.getObject("occurred_at", OffsetDateTime.class).toInstant(), row.getString("reason"),
                row.getObject("corrected_by", UUID.class), row.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                row.getLong("sequence_no"), row.getString("previous_hash"), row.getString("hash"));
    }

    static CheckEvent read(ResultSet row) throws SQLException {
        return new CheckEvent(
                row.getObject("check_event_id", UUID.class), row.getObject("tenant_id", UUID.class),
                row.getObject("mission_id", UUID.class), row.getObject("worker_id", UUID.class),
                CheckEventType.fromWire(row.getString("event_type")),
                row.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                row.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                CheckSource.fromWire(row.getString("source")),
                // jsonb prints its own way: hash and compare the canonical form
                CanonicalJson.canonicalize(row.getString("metadata")), row.getObject("recorded_by", UUID.class),
                row.getLong("sequence_no"), row.getString("previous_hash"), row.getString("hash"));
    }
}
