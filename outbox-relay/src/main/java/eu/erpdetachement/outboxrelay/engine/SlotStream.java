package eu.erpdetachement.outboxrelay.engine;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import eu.erpdetachement.outboxrelay.config.RelayProperties;

/**
 * The relay's logical replication slot, read with pgoutput over the publication (PgJDBC's
 * replication API). The slot itself holds the relay's position: streaming starts where the last
 * confirmed position left it, and a position is confirmed only once its rows are in Kafka and
 * deleted from their outbox. Status (and so the confirmed position) goes to the server every second.
 */
final class SlotStream implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlotStream.class);
    private static final int STATUS_INTERVAL_SECONDS = 1;

    private final Connection connection;
    private final PGReplicationStream stream;
    private volatile boolean aborted;

    private SlotStream(Connection connection, PGReplicationStream stream) {
        this.connection = connection;
        this.stream = stream;
    }

    static SlotStream open(RelayProperties relay) throws SQLException {
        ensureSlot(relay);
        Properties p = new Properties();
        PGProperty.USER.set(p, relay.db().user());
        PGProperty.PASSWORD.set(p, relay.db().password());
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
        PGProperty.APPLICATION_NAME.set(p, "outbox-relay-stream");
        PGProperty.CONNECT_TIMEOUT.set(p, 10);
        PGProperty.TCP_KEEP_ALIVE.set(p, true);
        Connection connection = DriverManager.getConnection(relay.db().jdbcUrl(), p);
        try {
            try (var statement = connection.createStatement()) {
                // timestamps in the one form CapturedRow reads fastest: PgJDBC sends the JVM's own zone at
                // start-up, which would win over a start-up option
                statement.execute("SET DateStyle = ISO; SET TimeZone = 'UTC'");
            }
            PGReplicationStream stream = connection.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                    .logical()
                    .withSlotName(relay.slotName())
                    .withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", relay.publication())
                    .withStatusInterval(STATUS_INTERVAL_SECONDS, TimeUnit.SECONDS)
                    // only the completer confirms a position: PgJDBC would otherwise confirm the server's own
                    // on a keepalive, past transactions that Kafka has not acknowledged yet
                    .withAutomaticFlush(false)
                    .start(); // no start position: the slot's confirmed one
            return new SlotStream(connection, stream);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The next message, waiting for it; null only when the stream has ended. */
    ByteBuffer next() throws SQLException {
        return stream.read();
    }

    /** The next message if one has arrived already (waits at most a millisecond), else null. */
    ByteBuffer nextIfArrived() throws SQLException {
        return stream.readPending();
    }

    /**
     * Everything up to {@code lsn} is in Kafka and gone from the outboxes: the slot may let it go.
     * Safe from any thread (PgJDBC keeps the position in volatile fields); it reaches the server
     * with the reading thread's next status, within a second.
     */
    void confirm(long lsn) {
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
        stream.setAppliedLSN(position);
        stream.setFlushedLSN(position);
    }

    /** Ends the stream from another thread: the reader's wait fails at once. */
    void abort() {
        aborted = true;
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            log.debug("Aborting the replication connection: {}", e.getMessage());
        }
    }

    boolean aborted() {
        return aborted;
    }

    /** Closes the stream on the thread that reads it, after telling the server the last confirmed position. */
    @Override
    public void close() {
        try {
            if (!stream.isClosed() && !connection.isClosed()) {
                stream.forceUpdateStatus(); // the last confirmed position, before the walsender ends
            }
        } catch (SQLException e) {
            log.debug("Could not send the last status: {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("Closing the replication connection: {}", e.getMessage());
        }
    }

    /**
     * The slot is made by deploy/postgres/init.sql (decision 0018). One that was dropped, or
     * invalidated by max_slot_wal_keep_size, is made anew here: it streams from now on, and the rows
     * committed in between are published by {@link OutboxRecovery}.
     */
    private static void ensureSlot(RelayProperties relay) throws SQLException {
        try (Connection c = DriverManager.getConnection(relay.db().jdbcUrl() + "?ApplicationName=outbox-relay-slot",
                relay.db().user(), relay.db().password())) {
            String walStatus;
            boolean present;
            try (PreparedStatement q = c.prepareStatement("SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
                q.setString(1, relay.slotName());
                try (ResultSet rs = q.executeQuery()) {
                    present = rs.next();
                    walStatus = present ? rs.getString(1) : null;
                }
            }
            if (present && !"lost".equals(walStatus)) {
                return;
            }
            if (present) {
                try (PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    drop.setString(1, relay.slotName());
                    drop.executeQuery().close();
                }
            }
            try (PreparedStatement create = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, relay.slotName());
                create.executeQuery().close();
            }
            log.warn("The replication slot {} was {}: made anew, streaming from now on; rows written in between are "
                    + "published by the outbox recovery", relay.slotName(), present ? "invalidated" : "missing");
        }
    }
}
