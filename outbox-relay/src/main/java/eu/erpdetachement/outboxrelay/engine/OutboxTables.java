package eu.erpdetachement.outboxrelay.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The outbox tables the relay serves, and what it does to their rows: a row is deleted once Kafka
 * acknowledged it, inside the batch and before the batch's position is confirmed to the slot, so that a row
 * still in an outbox is one that was never acknowledged (what {@link OutboxRecovery} looks for).
 */
final class OutboxTables {

    /** The relay's own outbox: it holds only heartbeat rows, never published (OutboxPublisher deletes them). */
    static final String HEARTBEAT_OUTBOX = "relay.outbox";

    private final List<String> tables;

    OutboxTables(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    /** The tables whose service has migrated already. */
    List<String> existing(Connection connection) throws SQLException {
        List<String> existing = new java.util.ArrayList<>();
        for (String table : tables) {
            try (PreparedStatement q = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                q.setString(1, table);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        existing.add(table);
                    }
                }
            }
        }
        return existing;
    }

    /**
     * Creates the relay's own outbox (heartbeat rows only) and puts it in the publication, as every
     * service does for its outbox when it migrates.
     */
    static void ensureHeartbeatOutbox(Connection connection, String publication) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS relay.outbox (
                        id uuid PRIMARY KEY, aggregatetype varchar(255) NOT NULL, aggregateid varchar(255) NOT NULL,
                        type varchar(255) NOT NULL, tenant_id uuid NOT NULL, payload jsonb NOT NULL,
                        occurred_at timestamptz NOT NULL DEFAULT now())""");
        }
        try (PreparedStatement published = connection.prepareStatement(
                "SELECT 1 FROM pg_publication_tables WHERE pubname = ? AND schemaname = 'relay' AND tablename = 'outbox'")) {
            published.setString(1, publication);
            try (java.sql.ResultSet rs = published.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (var statement = connection.createStatement()) {
            statement.execute("ALTER PUBLICATION " + quoted(publication) + " ADD TABLE relay.outbox");
        }
    }

    /** A heartbeat row: a change in a published table, so the slot has a position to confirm while services are idle. */
    static void insertHeartbeat(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + HEARTBEAT_OUTBOX + " (id, aggregatetype, aggregateid, type, tenant_id, payload) "
                    + "VALUES (gen_random_uuid(), 'relay.heartbeat', 'relay', 'RelayHeartbeat', "
                    + "'00000000-0000-0000-0000-000000000000', '{}')");
        }
    }

    /**
     * Makes the publication carry inserts only (decision 0037). The relay publishes inserts and
     * deletes every row it published: with the default publication PostgreSQL decoded each of those
     * deletes too and streamed it to the relay, which decoded it again only to skip it. Databases
     * set up before deploy/postgres/init.sql said so are changed here, once.
     */
    static void publishInsertsOnly(Connection connection, String publication) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT pubupdate OR pubdelete OR pubtruncate FROM pg_publication WHERE pubname = ?")) {
            q.setString(1, publication);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return; // missing (streaming then fails, saying so) or already inserts only
                }
            }
        }
        try (var statement = connection.createStatement()) {
            statement.execute("ALTER PUBLICATION " + quoted(publication) + " SET (publish = 'insert')");
        }
    }

    /** The configured publication's name as an SQL identifier (configuration, never input; quotes dropped). */
    private static String quoted(String publication) {
        return "\"" + publication.replace("\"", "") + "\"";
    }

    /**
     * Deletes published rows; the table name is one of the configured ones, never input. The ids are
     * bound as one {@code uuid[]}: a text parameter cast in SQL ({@code ?::uuid[]}) is not folded into
     * a constant (array_in is only stable), so a sequential scan re-parsed the whole array for every
     * row, and 8,192 ids over a 50,000-row backlog took four minutes (decision 0036). Answers how many
     * rows it deleted: those its snapshot saw.
     */
    static int delete(Connection connection, String table, Collection<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ANY (?)")) {
            delete.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            return delete.executeUpdate();
        }
    }

    /**
     * How many of the transactions {@code xids} (pgoutput's 32-bit ids) a snapshot taken now still
     * sees in progress. The walsender decodes a commit once its record is flushed, and its backend
     * makes it visible to other sessions only afterwards (after a synchronous standby's answer, if
     * one is configured): a delete in that window does not see the rows it was asked to delete.
     */
    static long inProgress(Connection connection, Collection<Long> xids) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT pg_current_snapshot()::text");
                var rs = q.executeQuery()) {
            rs.next();
            Snapshot now = Snapshot.parse(rs.getString(1));
            return xids.stream().filter(now::inProgress).count();
        }
    }
}
