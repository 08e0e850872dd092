package eu.erpdetachement.outboxrelay.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import eu.erpdetachement.outboxrelay.config.RelayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Measures, on every instance and whether or not it leads, what operators must see when the
 * relay is stuck: the WAL the slot holds back (it grows exactly when no relay reads), whether the
 * slot exists at all, and the age of the oldest row still waiting in each outbox.
 */
@Component
public class OutboxMonitor {

    private static final Logger log = LoggerFactory.getLogger(OutboxMonitor.class);

    private final RelayProperties relay;
    private final OutboxTables outboxes;
    private final AtomicLong retainedWalBytes = new AtomicLong(-1);
    private final AtomicLong slotPresent = new AtomicLong(0);
    private final AtomicLong databaseUp = new AtomicLong(0);
    private final Map<String, AtomicLong> oldestAgeSeconds = new ConcurrentHashMap<>();

    public OutboxMonitor(RelayProperties relay, MeterRegistry registry) {
        this.relay = relay;
        this.outboxes = new OutboxTables(relay.outboxTables());
        Gauge.builder("erp.relay.slot.retained.wal.bytes", retainedWalBytes, AtomicLong::get)
                .description("WAL the replication slot keeps from being recycled (-1: no slot)").baseUnit("bytes")
                .register(registry);
        Gauge.builder("erp.relay.slot.present", slotPresent, AtomicLong::get)
                .description("1 while the relay's replication slot exists").register(registry);
        // the same gauge the other services' DependencyProbe keeps (platform), for DependencyUnreachable
        Gauge.builder("erp.dependency.up", databaseUp, AtomicLong::get).tag("dependency", "postgresql")
                .description("1 while the dependency answered this service's last check").register(registry);
        for (String table : relay.outboxTables()) {
            AtomicLong age = new AtomicLong(0);
            oldestAgeSeconds.put(table, age);
            Gauge.builder("erp.relay.outbox.oldest.unpublished.age", age, AtomicLong::get)
                    .description("Age of the oldest row still waiting in the outbox (0: empty)").baseUnit("seconds")
                    .tag("table", table).register(registry);
        }
    }

    @Scheduled(fixedDelayString = "${erp.relay.monitor-interval:PT10S}")
    public void measure() {
        try (Connection c = DriverManager.getConnection(relay.db().jdbcUrl() + "?ApplicationName=outbox-relay-monitor",
                relay.db().user(), relay.db().password())) {
            measureSlot(c);
            List<String> existing = outboxes.existing(c);
            for (var table : oldestAgeSeconds.entrySet()) {
                // a table whose service has not migrated yet holds nothing
                table.getValue().set(existing.contains(table.getKey()) ? oldestRowAgeSeconds(c, table.getKey()) : 0);
            }
            databaseUp.set(1);
        } catch (SQLException e) {
            log.warn("Could not measure the outboxes and the slot: {}", e.getMessage());
            retainedWalBytes.set(-1);
            databaseUp.set(0);
        }
    }

    long oldestAgeSeconds(String table) {
        AtomicLong age = oldestAgeSeconds.get(table);
        return age == null ? 0 : age.get();
    }

    long retainedWalBytes() {
        return retainedWalBytes.get();
    }

    private void measureSlot(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = ?""")) {
            q.setString(1, relay.slotName());
            try (ResultSet rs = q.executeQuery()) {
                boolean present = rs.next();
                slotPresent.set(present ? 1 : 0);
                retainedWalBytes.set(present ? rs.getLong(1) : -1);
            }
        }
    }

    private static long oldestRowAgeSeconds(Connection c, String table) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::bigint FROM " + table);
                ResultSet rs = q.executeQuery()) {
            rs.next();
            return Math.max(0, rs.getLong(1));
        }
    }
}
