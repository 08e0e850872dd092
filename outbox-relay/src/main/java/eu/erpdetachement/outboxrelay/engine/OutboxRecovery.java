package eu.erpdetachement.outboxrelay.engine;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import eu.erpdetachement.outboxrelay.config.RelayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

/**
 * Publishes rows that logical decoding will never deliver: rows committed while the slot did not
 * exist (dropped, invalidated by max_slot_wal_keep_size, a failover to a replica without it).
 * The relay deletes every row Kafka acknowledged before it confirms the batch's position to the
 * slot. So a row that was already committed at WAL position P, and is still in its outbox once
 * the slot has confirmed P, was never delivered: it is stranded. Every recovery interval the
 * active relay notes the rows older than the recovery bound together with the current position;
 * at the next round, once the slot has confirmed that position, those still there go out with
 * their own id as ce_id (consumers dedupe) and are deleted. A lagging relay strands nothing, so
 * it causes no duplicate. The operator's command ({@code outboxrecovery} actuator endpoint)
 * publishes at once every row older than a bound, without waiting for the slot.
 */
@Component
public class OutboxRecovery {

    private static final Logger log = LoggerFactory.getLogger(OutboxRecovery.class);
    private static final int BATCH = 500;
    private static final int MAX_SUSPECTS = 100_000;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** Rows older than the bound, all committed before WAL position {@code lsn}. */
    private record Suspects(String lsn, Map<String, List<UUID>> idsByTable) {
    }

    private final RelayProperties relay;
    private final OutboxRelay outboxRelay;
    private final OutboxTables outboxes;
    private final Counter recovered;
    private KafkaProducer<String, byte[]> producer;
    private Suspects suspects;

    public OutboxRecovery(RelayProperties relay, OutboxRelay outboxRelay, MeterRegistry registry) {
        this.relay = relay;
        this.outboxRelay = outboxRelay;
        this.outboxes = new OutboxTables(relay.outboxTables());
        this.recovered = Counter.builder("erp.relay.recovered")
                .description("Outbox rows published by the recovery path (never delivered by the slot)").register(registry);
    }

    @Scheduled(initialDelayString = "${erp.relay.recovery-interval:PT1M}", fixedDelayString = "${erp.relay.recovery-interval:PT1M}")
    synchronized void recoverStranded() {
        if (outboxRelay.state() != OutboxRelay.State.ACTIVE) {
            suspects = null;
            return;
        }
        try (Connection c = connect()) {
            if (suspects != null) {
                if (!slotConfirmed(c, suspects.lsn())) {
                    return; // wait on the same position: a newer one could stay ahead of the slot for good
                }
                long total = 0;
                for (var table : suspects.idsByTable().entrySet()) {
                    total += publish(c, table.getKey(), "id = ANY (?)", q -> q.setArray(1,
                            c.createArrayOf("uuid", table.getValue().toArray())));
                }
                if (total > 0) {
                    log.warn("Outbox recovery published {} rows that the replication slot never delivered", total);
                }
            }
            suspects = collectSuspects(c);
        } catch (SQLException | RuntimeException e) {
            suspects = null;
            log.warn("Outbox recovery failed: {}", e.getMessage());
        }
    }

    /** Publishes and deletes every row written more than {@code olderThan} ago; answers how many. */
    public synchronized long recover(Duration olderThan) {
        long total = 0;
        try (Connection c = connect()) {
            for (String table : outboxes.existing(c)) {
                total += publish(c, table, "occurred_at < now() - make_interval(secs => ?)",
                        q -> q.setDouble(1, olderThan.toMillis() / 1000.0));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Outbox recovery could not read the outboxes: " + e.getMessage(), e);
        }
        log.info("Outbox recovery on demand published {} rows older than {}", total, olderThan);
        return total;
    }

    private Suspects collectSuspects(Connection c) throws SQLException {
        Map<String, List<UUID>> ids = new HashMap<>();
        for (String table : outboxes.existing(c)) {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM " + table
                    + " WHERE occurred_at < now() - make_interval(secs => ?) LIMIT " + MAX_SUSPECTS)) {
                q.setDouble(1, relay.recoveryAfter().toMillis() / 1000.0);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ids.computeIfAbsent(table, t -> new ArrayList<>()).add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        // read after the rows: every row seen above was committed before this position
        try (PreparedStatement q = c.prepareStatement("SELECT pg_current_wal_lsn()::text"); ResultSet rs = q.executeQuery()) {
            rs.next();
            return ids.isEmpty() ? null : new Suspects(rs.getString(1), ids);
        }
    }

    private boolean slotConfirmed(Connection c, String lsn) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, lsn);
            q.setString(2, relay.slotName());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private long publish(Connection c, String table, String condition, Binder binder) throws SQLException {
        long published = 0;
        while (true) {
            List<UUID> ids = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            // the trace context through to_jsonb: an outbox not migrated to that column yet still recovers
            try (PreparedStatement q = c.prepareStatement("SELECT id, aggregatetype, aggregateid, type, tenant_id, "
                    + "payload::text AS payload, occurred_at, to_jsonb(o) ->> 'traceparent' AS traceparent FROM " + table
                    + " o WHERE " + condition
                    + " ORDER BY occurred_at LIMIT " + BATCH)) {
                binder.bind(q);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String topic = CloudEventHeaders.topic(rs.getString("aggregatetype"));
                        String key = rs.getString("aggregateid");
                        String id = rs.getString("id");
                        var headers = CloudEventHeaders.of(topic, key, id, rs.getString("type"), rs.getString("tenant_id"),
                                rs.getObject("occurred_at", OffsetDateTime.class).toInstant().toString(),
                                rs.getString("traceparent"));
                        acks.add(producer().send(new ProducerRecord<>(topic, null, key,
                                rs.getString("payload").getBytes(StandardCharsets.UTF_8), headers)));
                        ids.add(UUID.fromString(id));
                    }
                }
            }
            if (ids.isEmpty()) {
                return published;
            }
            try {
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge recovered rows; they stay in " + table, e);
            }
            OutboxTables.delete(c, table, ids);
            recovered.increment(ids.size());
            published += ids.size();
            if (ids.size() < BATCH) {
                return published;
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(relay.db().jdbcUrl() + "?ApplicationName=outbox-relay-recovery",
                relay.db().user(), relay.db().password());
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(OutboxRelay.producerConfig(relay, "erp-outbox-relay-recovery"));
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
