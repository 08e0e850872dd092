package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import eu.erpdetachement.outboxrelay.config.RelayProperties;
import eu.erpdetachement.platform.testkit.TestPostgres;

/**
 * The relay's delete of published rows stays a lookup by key when a backlog arrives in an outbox
 * that was tiny when the relay started. Before decision 0036 it bound the ids as text cast in SQL
 * and reused a plan made for three rows: 8,192 ids over a 50,000-row backlog took four minutes, and
 * the relay stopped publishing meanwhile. The statement timeout bounds the test, it measures nothing.
 */
class PublishedRowsDeleteIT {

    private static final String TABLE = "delete_probe.outbox";
    private static final int BATCH = 8_192;

    private final RelayProperties relay = new RelayProperties("localhost:9092",
            new RelayProperties.Db("localhost", TestPostgres.server().getPort(), "erp", "relay_svc", "relay_svc"),
            List.of(TABLE), null, null, null, null, null, null, null, null, null);

    @BeforeAll
    static void anOutboxAnalyzedWhileTiny() {
        TestPostgres.execute("DROP SCHEMA IF EXISTS delete_probe CASCADE");
        TestPostgres.execute("CREATE SCHEMA delete_probe");
        TestPostgres.execute("CREATE TABLE " + TABLE + " (id uuid PRIMARY KEY, payload jsonb NOT NULL)"
                + " WITH (autovacuum_enabled = false)");
        TestPostgres.execute("GRANT USAGE ON SCHEMA delete_probe TO relay_svc");
        TestPostgres.execute("GRANT SELECT, DELETE ON " + TABLE + " TO relay_svc");
        TestPostgres.execute("INSERT INTO " + TABLE + " SELECT gen_random_uuid(), '{}' FROM generate_series(1, 3)");
        TestPostgres.execute("ANALYZE " + TABLE);
    }

    @AfterAll
    static void dropIt() {
        TestPostgres.execute("DROP SCHEMA delete_probe CASCADE");
    }

    @Test
    void a_backlog_after_a_quiet_start_is_deleted_by_key() throws SQLException {
        try (Connection rows = DriverManager.getConnection(OutboxRelay.rowsUrl(relay), relay.db().user(), relay.db().password())) {
            // a quiet start: enough small batches for the driver to prepare the statement on the server
            for (int i = 0; i < 10; i++) {
                OutboxTables.delete(rows, TABLE, List.of(UUID.randomUUID()));
            }
            TestPostgres.execute("INSERT INTO " + TABLE + " SELECT gen_random_uuid(), '{}' FROM generate_series(1, 50000)");
            List<UUID> batch = ids(rows, BATCH);

            try (Statement s = rows.createStatement()) {
                s.execute("SET statement_timeout = '60s'");
            }
            OutboxTables.delete(rows, TABLE, batch);

            assertThat(TestPostgres.count("SELECT count(*) FROM " + TABLE)).isEqualTo(3 + 50_000 - BATCH);
            assertThat(genericPlans(rows)).as("plans reused from the quiet start").isZero();
        }
    }

    /**
     * What the completer asks before deleting again (decision 0042): a transaction still open is in
     * progress for a new snapshot, and no longer once it committed; ids come as pgoutput gives them
     * (32 bits; their widening across epochs is {@link SnapshotTest}'s).
     */
    @Test
    void a_transaction_is_in_progress_until_it_commits() throws SQLException {
        try (Connection rows = DriverManager.getConnection(OutboxRelay.rowsUrl(relay), relay.db().user(), relay.db().password());
                Connection writer = TestPostgres.superuserConnection()) {
            TestPostgres.execute("CREATE TABLE IF NOT EXISTS delete_probe.visibility (n int)"); // not the outbox others count
            long committed = insertedBy(writer); // a transaction that has ended
            writer.setAutoCommit(false);
            long xid = insertedBy(writer); // one still open
            assertThat(OutboxTables.inProgress(rows, List.of(xid, committed))).isEqualTo(1);
            writer.commit();
            assertThat(OutboxTables.inProgress(rows, List.of(xid, committed))).isZero();
        }
    }

    /** Inserts a row; answers the inserting transaction's id as pgoutput carries it (32 bits). */
    private static long insertedBy(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("INSERT INTO delete_probe.visibility VALUES (1) RETURNING xmin::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<UUID> ids(Connection c, int limit) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (var q = c.prepareStatement("SELECT id FROM " + TABLE + " LIMIT ?")) {
            q.setInt(1, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private static long genericPlans(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT coalesce(sum(generic_plans), 0), count(*) FROM pg_prepared_statements WHERE statement LIKE 'DELETE FROM " + TABLE + "%'")) {
            rs.next();
            assertThat(rs.getLong(2)).as("the delete is prepared on the server").isEqualTo(1);
            return rs.getLong(1);
        }
    }
}
