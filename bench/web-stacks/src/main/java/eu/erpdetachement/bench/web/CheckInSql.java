package eu.erpdetachement.bench.web;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.TransactionTemplate;

import reactor.core.publisher.Mono;

/**
 * The SQL of one check-in, as pgbench's script of the bench's section 1 sends it: the caller's state,
 * then a transaction that locks the chain and reads its head, and inserts the event with its two
 * outbox rows. Sent here through the two client stacks a service could use: the services' reactive
 * one (R2DBC, {@link DatabaseClient}, {@link TransactionalOperator}) and JDBC on virtual threads
 * ({@link JdbcClient}, {@link TransactionTemplate}). {@code n} is a number as text, new for each
 * check-in: every value of the statements is derived from it, as in pgbench's script.
 */
public final class CheckInSql {

    static final String TENANT = "11111111-1111-4111-8111-111111111111";

    public static final String CALLER_STATE = """
            SELECT a.tenant_id, a.role_type, a.is_active, a.worker_id, s.sessions_valid_after,
                EXISTS (SELECT 1 FROM checkin.ended_sessions e WHERE e.session_id = md5('s' || :n)) AS session_ended
              FROM (SELECT 1) AS one LEFT JOIN checkin.caller_states a ON a.user_id = md5('u' || :n)::uuid
              LEFT JOIN checkin.caller_states s ON s.user_id = md5('u' || :n)::uuid""";

    public static final String LOCKED_HEAD = "SELECT * FROM checkin.locked_chain_head('" + TENANT
            + "', md5('m' || :n)::uuid, md5('w' || :n)::uuid)";

    public static final String INSERT = """
            WITH change AS (INSERT INTO checkin.worker_check_events (check_event_id, tenant_id, mission_id, worker_id,
              event_type, occurred_at, recorded_at, source, metadata, recorded_by, sequence_no, previous_hash, hash)
              VALUES (gen_random_uuid(), '%1$s', md5('m' || :n)::uuid, md5('w' || :n)::uuid,
              'check_in', now(), now(), 'api', '{"bench": true}', gen_random_uuid(), 1, NULL, md5(:n) || md5(:n)))
            INSERT INTO checkin.outbox (id, aggregatetype, aggregateid, type, tenant_id, payload, occurred_at)
              VALUES (gen_random_uuid(), 'checkin.bench-pgbench', md5('m' || :n), 'WorkerCheckEventRecorded',
              '%1$s', '{"bench": true}', now()),
              (gen_random_uuid(), 'checkin.bench-pgbench', md5('a' || :n), 'AuditRecorded',
              '%1$s', '{"bench": true, "action": "check_event.recorded"}', now())""".formatted(TENANT);

    /** One check-in through the reactive stack; every column read as a service's row mapping reads it. */
    public static Mono<Void> reactive(DatabaseClient db, TransactionalOperator transaction, String n) {
        Mono<Void> write = db.sql(LOCKED_HEAD).bind("n", n).map((row, metadata) -> columns(row, metadata)).all()
                .then(db.sql(INSERT).bind("n", n).then());
        return db.sql(CALLER_STATE).bind("n", n).map((row, metadata) -> columns(row, metadata)).all().then(write.as(transaction::transactional));
    }

    /** The same through JDBC, on the calling (virtual) thread. */
    public static void blocking(JdbcClient db, TransactionTemplate transaction, String n) {
        db.sql(CALLER_STATE).param("n", n).query((rs, i) -> columns(rs)).list();
        transaction.executeWithoutResult(status -> {
            db.sql(LOCKED_HEAD).param("n", n).query((rs, i) -> columns(rs)).list();
            db.sql(INSERT).param("n", n).update();
        });
    }

    private static int columns(io.r2dbc.spi.Row row, io.r2dbc.spi.RowMetadata metadata) {
        int read = 0;
        for (int i = 0; i < metadata.getColumnMetadatas().size(); i++) {
            read += row.get(i) == null ? 0 : 1;
        }
        return read;
    }

    private static int columns(java.sql.ResultSet rs) throws java.sql.SQLException {
        int read = 0;
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            read += rs.getObject(i) == null ? 0 : 1;
        }
        return read;
    }

    private CheckInSql() {
    }
}
