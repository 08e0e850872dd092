package eu.erpdetachement.outboxrelay.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import eu.erpdetachement.outboxrelay.config.RelayProperties;

/**
 * One active relay at a time: a PostgreSQL session-level advisory lock held on a dedicated
 * connection. If the active relay dies, its session ends, the lock is freed and a standby takes it.
 */
final class LeaderLock implements AutoCloseable {

    /** Arbitrary but fixed: every relay instance contends for the same key. */
    private static final long LOCK_KEY = 0x4552505f52454c41L; // "ERP_RELA"

    private final Connection connection;

    private LeaderLock(Connection connection) {
        this.connection = connection;
    }

    /** Tries once; empty when another instance holds the lock. */
    static java.util.Optional<LeaderLock> tryAcquire(RelayProperties.Db db) throws SQLException {
        Connection connection = DriverManager.getConnection(db.jdbcUrl() + "?ApplicationName=outbox-relay-leader",
                db.user(), db.password());
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return java.util.Optional.of(new LeaderLock(connection));
                }
            }
        }
        connection.close();
        return java.util.Optional.empty();
    }

    /** False once the session that holds the lock is gone (database restarted, network cut). */
    boolean stillHeld() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            connection.close(); // ends the session, which releases the lock
        } catch (SQLException ignored) {
            // already gone: the lock went with it
        }
    }
}
