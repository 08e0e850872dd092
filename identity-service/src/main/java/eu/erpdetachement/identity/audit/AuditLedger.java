package eu.erpdetachement.identity.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import eu.erpdetachement.identity.domain.AuditChain;
import eu.erpdetachement.platform.json.CanonicalJson;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tenant's audit trail in identity's schema: every service's AuditRecorded events, chained per
 * tenant in the order they are appended (decision 0025). Append-only: rows change only when an
 * erasure pseudonymises them, which the table's trigger enforces.
 */
@Repository
public class AuditLedger {

    private static final String COLUMNS = """
            tenant_id, sequence_no, audit_event_id, occurred_at, service, actor_id, action, target_type, target_id,
            changes::text AS changes, client_ip, request_id, personal_digest, redacted, recorded_at, previous_hash, hash""";

    private final DatabaseClient db;
    private final Clock clock;

    public AuditLedger(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** What a page of the trail may be narrowed to; null means any. */
    public record Filter(UUID actorId, String targetType, String targetId, String action, Instant from, Instant to) {
    }

    /**
     * Chains one record at the tenant's head, once: a record already appended (delivered again) is
     * skipped. A record naming a user or file the ledger already knows as erased is pseudonymised at
     * once; an erasure pseudonymises every earlier record naming its subject. Run it in a transaction: the
     * tenant's chain is locked until it commits. Answers whether the record was new.
     */
    public Mono<Boolean> append(AuditEntry entry) {
        return lockChain(entry.tenantId())
                .then(known(entry.auditEventId()))
                .flatMap(known -> known ? Mono.just(false) : head(entry.tenantId())
                        .map(head -> new Head(head.sequenceNo(), head.hash()))
                        .defaultIfEmpty(new Head(0, null))
                        .flatMap(head -> insert(entry, head))
                        .then(pseudonymiseRecordsOfErasedUsers(entry))
                        .thenReturn(true));
    }

    private record Head(long sequenceNo, String hash) {
    }

    private Mono<Void> lockChain(UUID tenantId) {
        return db.sql("SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(:chain, 0))")
                .bind("chain", "audit/" + tenantId)
                .map(row -> 1).first().then();
    }

    private Mono<Boolean> known(UUID auditEventId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM audit_ledger WHERE audit_event_id = :id) AS known")
                .bind("id", auditEventId).map(row -> row.get("known", Boolean.class)).one();
    }

    private Mono<Head> head(UUID tenantId) {
        return db.sql("SELECT sequence_no, hash FROM audit_ledger WHERE tenant_id = :tenant ORDER BY sequence_no DESC LIMIT 1")
                .bind("tenant", tenantId)
                .map(row -> new Head(row.get("sequence_no", Long.class), row.get("hash", String.class))).one();
    }

    private Mono<Void> insert(AuditEntry e, Head head) {
        String canonicalChanges = CanonicalJson.write(e.changes());
        Instant occurredAt = e.occurredAt().truncatedTo(ChronoUnit.MICROS);
        AuditChain.Link link = new AuditChain.Link(e.tenantId(), head.sequenceNo() + 1, e.auditEventId(), occurredAt,
                e.service(), e.actorId(), e.action(), e.targetType(), e.targetId(), e.requestId(),
                AuditChain.personalDigest(canonicalChanges, e.clientIp()), head.hash());
        var spec = db.sql("""
                INSERT INTO audit_ledger (tenant_id, sequence_no, audit_event_id, occurred_at, service, actor_id, action,
                    target_type, target_id, changes, client_ip, request_id, personal_digest, recorded_at, previous_hash, hash)
                VALUES (:tenant, :seq, :id, :occurred, :service, :actor, :action, :target_type, :target_id,
                    CAST(:changes AS jsonb), :client_ip, :request_id, :digest, :recorded, :previous, :hash)""")
                .bind("tenant", link.tenantId()).bind("seq", link.sequenceNo()).bind("id", link.auditEventId())
                .bind("occurred", utc(occurredAt)).bind("service", link.service()).bind("action", link.action())
                .bind("target_type", link.targetType()).bind("target_id", link.targetId())
                .bind("changes", canonicalChanges).bind("digest", link.personalDigest())
                .bind("recorded", utc(clock.instant())).bind("hash", AuditChain.hash(link));
        spec = link.actorId() == null ? spec.bindNull("actor", UUID.class) : spec.bind("actor", link.actorId());
        spec = e.clientIp() == null ? spec.bindNull("client_ip", String.class) : spec.bind("client_ip", e.clientIp());
        spec = e.requestId() == null ? spec.bindNull("request_id", String.class) : spec.bind("request_id", e.requestId());
        spec = head.hash() == null ? spec.bindNull("previous", String.class) : spec.bind("previous", head.hash());
        return spec.then();
    }

    /**
     * The erased subjects this record names (a user as its actor or target, a file as its target), or
     * the one it erases: every record naming them is pseudonymised.
     */
    private Mono<Void> pseudonymiseRecordsOfErasedUsers(AuditEntry e) {
        List<String> named = new ArrayList<>();
        if (e.actorId() != null) {
            named.add(AuditChain.subject("user", e.actorId().toString()));
        }
        named.add(AuditChain.subject(e.targetType(), e.targetId()));
        return erasedAmong(e.tenantId(), named)
                .concatMap(subject -> pseudonymise(e.tenantId(), subject))
                .then();
    }

    private Flux<String> erasedAmong(UUID tenantId, List<String> subjects) {
        return db.sql(ERASED_AMONG)
                .bind("tenant", tenantId).bind("subjects", subjects.toArray(String[]::new))
                .map(row -> row.get("subject", String.class)).all();
    }

    /**
     * The erasure records, as the partial index audit_ledger_erasures (V63) names them: written out,
     * not bound, so that the planner can use that index (it cannot prove a parameter matches it).
     */
    private static final String ERASED = "action IN ('" + AuditChain.ERASURE_ACTION + "', '" + AuditChain.FILE_ERASURE_ACTION + "')";

    /** Which of the named subjects the tenant's chain records as erased; run for every appended record. */
    static final String ERASED_AMONG = "SELECT DISTINCT target_type || ':' || target_id AS subject FROM audit_ledger "
            + "WHERE tenant_id = :tenant AND " + ERASED + " AND target_type || ':' || target_id = ANY(:subjects)";

    /**
     * Pseudonymises the personal fields of every record naming an erased subject (decision 0025): for
     * a user ({@code user:<id>}), the changed values of the records about or by them and the client
     * address of those they made (the address of a record about them is their admin's); for a file
     * ({@code file:<id>}), the changed values of the records about it (its name, its key).
     */
    public Mono<Long> pseudonymise(UUID tenantId, String subject) {
        int colon = subject.indexOf(':');
        String type = subject.substring(0, colon);
        String id = subject.substring(colon + 1);
        if (!"user".equals(type)) {
            return db.sql("""
                    UPDATE audit_ledger SET changes = audit_pseudonymised(changes), redacted = true
                    WHERE tenant_id = :tenant AND target_type = :type AND target_id = :id
                      AND (NOT redacted OR changes <> audit_pseudonymised(changes))""")
                    .bind("tenant", tenantId).bind("type", type).bind("id", id)
                    .fetch().rowsUpdated();
        }
        return db.sql("""
                UPDATE audit_ledger SET changes = audit_pseudonymised(changes),
                    client_ip = CASE WHEN actor_id::text = :user THEN NULL ELSE client_ip END, redacted = true
                WHERE tenant_id = :tenant
                  AND (actor_id::text = :user OR (target_type = 'user' AND target_id = :user))
                  AND (NOT redacted OR changes <> audit_pseudonymised(changes) OR (actor_id::text = :user AND client_ip IS NOT NULL))""")
                .bind("tenant", tenantId).bind("user", id)
                .fetch().rowsUpdated();
    }

    /** One page, newest first, of the records older than {@code beforeSequenceNo} (null: from the newest). */
    public Flux<AuditRecordEntry> page(UUID tenantId, Filter filter, Long beforeSequenceNo, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_ledger WHERE tenant_id = :tenant");
        List<Object[]> binds = new ArrayList<>();
        condition(sql, binds, filter.actorId(), " AND actor_id = :actor", "actor");
        condition(sql, binds, filter.targetType(), " AND target_type = :target_type", "target_type");
        condition(sql, binds, filter.targetId(), " AND target_id = :target_id", "target_id");
        condition(sql, binds, filter.action(), " AND action = :action", "action");
        condition(sql, binds, filter.from() == null ? null : utc(filter.from()), " AND occurred_at >= :from", "from");
        condition(sql, binds, filter.to() == null ? null : utc(filter.to()), " AND occurred_at < :to", "to");
        condition(sql, binds, beforeSequenceNo, " AND sequence_no < :before", "before");
        sql.append(" ORDER BY sequence_no DESC LIMIT :limit");
        var spec = db.sql(sql.toString()).bind("tenant", tenantId).bind("limit", limit);
        for (Object[] bind : binds) {
            spec = spec.bind((String) bind[0], bind[1]);
        }
        return spec.map(AuditLedger::read).all();
    }

    private static void condition(StringBuilder sql, List<Object[]> binds, Object value, String clause, String name) {
        if (value != null) {
            sql.append(clause);
            binds.add(new Object[] {name, value});
        }
    }

    /** Every record about or by the user, in sequence order (their personal-data export). */
    public Flux<AuditRecordEntry> naming(UUID tenantId, UUID userId) {
        return db.sql("SELECT " + COLUMNS + " FROM audit_ledger WHERE tenant_id = :tenant "
                        + "AND (actor_id = :user OR (target_type = 'user' AND target_id = :user_text)) ORDER BY sequence_no")
                .bind("tenant", tenantId).bind("user", userId).bind("user_text", userId.toString())
                .map(AuditLedger::read).all();
    }

    /** The whole chain of a tenant in sequence order, for verification. */
    public Flux<AuditChain.StoredLink> chain(UUID tenantId) {
        return db.sql("SELECT " + COLUMNS + " FROM audit_ledger WHERE tenant_id = :tenant ORDER BY sequence_no")
                .bind("tenant", tenantId)
                .map(row -> read(row).stored()).all();
    }

    /** What the tenant's chain records as erased: users and files, as {@link AuditChain#subject} gives them. */
    public Mono<Set<String>> erasedSubjects(UUID tenantId) {
        return db.sql("SELECT target_type || ':' || target_id AS subject FROM audit_ledger WHERE tenant_id = :tenant AND " + ERASED)
                .bind("tenant", tenantId)
                .map(row -> row.get("subject", String.class)).all()
                .collect(HashSet::new, Set::add);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static AuditRecordEntry read(Readable row) {
        String changes = row.get("changes", String.class);
        AuditChain.Link link = new AuditChain.Link(row.get("tenant_id", UUID.class), row.get("sequence_no", Long.class),
                row.get("audit_event_id", UUID.class), row.get("occurred_at", OffsetDateTime.class).toInstant(),
                row.get("service", String.class), row.get("actor_id", UUID.class), row.get("action", String.class),
                row.get("target_type", String.class), row.get("target_id", String.class),
                row.get("request_id", String.class), row.get("personal_digest", String.class),
                row.get("previous_hash", String.class));
        return new AuditRecordEntry(link, row.get("hash", String.class), CanonicalJson.read(changes),
                // jsonb prints its own way: compare the canonical form
                CanonicalJson.canonicalize(changes), row.get("client_ip", String.class),
                Boolean.TRUE.equals(row.get("redacted", Boolean.class)),
                row.get("recorded_at", OffsetDateTime.class).toInstant());
    }
}
