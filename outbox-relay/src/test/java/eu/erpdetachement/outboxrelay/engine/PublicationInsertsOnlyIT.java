package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import eu.erpdetachement.platform.testkit.TestPostgres;

/**
 * The relay's publication carries inserts only (decision 0037): the deletes of published rows are
 * not decoded and streamed back to the relay. A database set up before init.sql said so gets its
 * publication changed by the relay; what its slot decodes is read back with pgoutput itself.
 */
class PublicationInsertsOnlyIT {

    private static final String PUBLICATION = "inserts_probe";
    private static final String SLOT = "inserts_probe";
    private static final String TABLE = "inserts_probe.outbox";

    @BeforeAll
    static void aPublicationMadeWithTheDefaults() {
        TestPostgres.execute("DROP SCHEMA IF EXISTS inserts_probe CASCADE");
        TestPostgres.execute("CREATE SCHEMA inserts_probe");
        TestPostgres.execute("CREATE TABLE " + TABLE + " (id uuid PRIMARY KEY, payload jsonb NOT NULL)");
        TestPostgres.execute("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE " + TABLE);
        TestPostgres.execute("ALTER PUBLICATION " + PUBLICATION + " OWNER TO outbox_publisher");
        TestPostgres.count("SELECT count(*) FROM pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
    }

    @AfterAll
    static void dropIt() {
        TestPostgres.count("SELECT count(*) FROM pg_drop_replication_slot('" + SLOT + "')");
        TestPostgres.execute("DROP PUBLICATION " + PUBLICATION);
        TestPostgres.execute("DROP SCHEMA inserts_probe CASCADE");
    }

    @Test
    void the_database_as_init_sql_sets_it_up_publishes_inserts_only() {
        assertThat(TestPostgres.count("SELECT count(*) FROM pg_publication WHERE pubname = 'erp_outbox' AND pubinsert"
                + " AND NOT (pubupdate OR pubdelete OR pubtruncate)")).isEqualTo(1);
    }

    @Test
    void an_older_publication_is_changed_by_the_relay_and_its_slot_then_decodes_no_delete() throws SQLException {
        insertThenDelete();
        assertThat(decodedSinceLastRead()).as("the defaults: the delete is decoded too").containsEntry("I", 1L)
                .containsEntry("D", 1L);

        try (Connection relay = DriverManager.getConnection("jdbc:postgresql://localhost:" + TestPostgres.server().getPort()
                + "/erp", "relay_svc", "relay_svc")) {
            OutboxTables.publishInsertsOnly(relay, PUBLICATION);
            OutboxTables.publishInsertsOnly(relay, PUBLICATION); // idempotent: a second start changes nothing
        }
        insertThenDelete();

        assertThat(decodedSinceLastRead()).containsEntry("I", 1L).doesNotContainKey("D");
    }

    /** Two transactions, each flushed before it returns: the slot decodes only what is flushed. */
    private static void insertThenDelete() throws SQLException {
        try (Connection c = TestPostgres.superuserConnection(); var statement = c.createStatement()) {
            statement.execute("SET synchronous_commit = on"); // the test server's default is off
            statement.execute("INSERT INTO " + TABLE + " VALUES ('6f1c1ac4-77a4-4d0c-9d59-5a1c3f43d0a1', '{}')");
            statement.execute("DELETE FROM " + TABLE);
        }
    }

    /** pgoutput's messages since the last read, by type (I insert, D delete, B/C begin and commit, R relation). */
    private static Map<String, Long> decodedSinceLastRead() throws SQLException {
        Map<String, Long> byType = new java.util.HashMap<>();
        try (Connection c = TestPostgres.superuserConnection();
                var rows = c.createStatement().executeQuery("SELECT chr(get_byte(data, 0)) AS type, count(*) "
                        + "FROM pg_logical_slot_get_binary_changes('" + SLOT + "', NULL, NULL, 'proto_version', '1', "
                        + "'publication_names', '" + PUBLICATION + "') GROUP BY 1")) {
            while (rows.next()) {
                byType.put(rows.getString(1), rows.getLong(2));
            }
        }
        return byType;
    }
}
