package eu.erpdetachement.outboxrelay.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import eu.erpdetachement.outboxrelay.config.RelayProperties;

/**
 * One active relay at a time: a PostgreSQL session-level advisory lock held on a dedicated
 * connection. If the active relay dies, its session ends, the lock is freed and a standby takes it.
 * If its host is cut off instead, PostgreSQL keeps the session (and the lock) until TCP gives up,
 * hours later: so the holder also beats a heartbeat row every second, and a standby that finds the
 * beat older than the takeover bound ends the silent holder's sessions (its lock and its walsender)
 * and takes over. The cut-off holder, for its part, stops as soon as a beat fails.
 */
final class LeaderLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);

    /** Arbitrary but fixed: every relay instance contends for the same key. */
    private static final long LOCK_KEY = 0x4552505f52454c41L; // "ERP_RELA"

    private final Connection connection;

    private LeaderLock(Connection connection) {
        this.connection = connection;
    }

    /** Tries once; empty when another, live instance holds the lock. */
    static Optional<LeaderLock> tryAcquire(RelayProperties relay) throws SQLException {
        Connection connection = connect(relay.db());
        try {
            if (tryLock(connection)) {
                LeaderLock lock = new LeaderLock(connection);
                lock.createHeartbeat();
                lock.beat();
                return Optional.of(lock);
            }
            if (holderSilentFor(connection, relay.leaderTakeoverAfter())) {
                endSilentHolder(connection, relay.slotName());
                if (tryLock(connection)) {
                    LeaderLock lock = new LeaderLock(connection);
                    lock.beat();
                    return Optional.of(lock);
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** Beats the heartbeat; false once the session that holds the lock is gone or cut off. */
    boolean stillHeld() {
        try {
            beat();
            return true;
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

    private static Connection connect(RelayProperties.Db db) throws SQLException {
        // a cut-off network fails a statement within seconds instead of hanging on the socket; the beat's
        // commit does not wait for a WAL flush or a synchronous standby's answer (a slow standby is not
        // a lost leader: decision 0042), and a beat lost in a crash is only an older beat
        return DriverManager.getConnection(db.jdbcUrl() + "?ApplicationName=outbox-relay-leader"
                + "&connectTimeout=5&socketTimeout=5&tcpKeepAlive=true&" + OutboxRelay.NO_FLUSH_WAIT, db.user(), db.password());
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void createHeartbeat() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS relay.leader_heartbeat (id int PRIMARY KEY, beat_at timestamptz NOT NULL)");
        }
    }

    private void beat() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO relay.leader_heartbeat VALUES (1, clock_timestamp()) "
                    + "ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at");
        }
    }

    private static boolean holderSilentFor(Connection connection, Duration bound) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT to_regclass('relay.leader_heartbeat') IS NOT NULL");
                ResultSet rs = q.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return false;
            }
        }
        try (PreparedStatement q = connection.prepareStatement(
                "SELECT beat_at < clock_timestamp() - make_interval(secs => ?) FROM relay.leader_heartbeat WHERE id = 1")) {
            q.setDouble(1, bound.toMillis() / 1000.0);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Ends the sessions of a holder that stopped beating: its lock session and the slot's walsender. */
    private static void endSilentHolder(Connection connection, String slot) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("""
                SELECT pg_terminate_backend(pid) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1
                UNION ALL
                SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ? AND active_pid IS NOT NULL""")) {
            q.setLong(1, LOCK_KEY >>> 32);
            q.setLong(2, LOCK_KEY & 0xffffffffL);
            q.setString(3, slot);
            q.executeQuery().close();
        }
        log.warn("The active outbox relay stopped beating its heartbeat: its sessions were ended, taking over");
    }
}
