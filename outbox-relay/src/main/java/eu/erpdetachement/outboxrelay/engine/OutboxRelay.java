package eu.erpdetachement.outboxrelay.engine;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import eu.erpdetachement.outboxrelay.config.RelayProperties;
import eu.erpdetachement.platform.kafka.KafkaTopics;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;

/**
 * Publishes every service's outbox to Kafka. Only the instance holding the leader lock runs the
 * engine; the others stand by. A batch's offsets are committed only after Kafka acknowledged every
 * record of it: a crash or a failed send re-delivers (at least once, consumers dedupe on ce_id).
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    public enum State { STARTING, STANDBY, ACTIVE, RESTARTING, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESTART_BACKOFF = Duration.ofSeconds(2);

    private final RelayProperties relay;
    private final RelayMetrics metrics;
    private final OutboxTables outboxes;
    private final ExecutorService supervisor = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay-supervisor"));

    private volatile boolean running;
    private volatile State state = State.STOPPED;
    private volatile String lastError;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    public OutboxRelay(RelayProperties relay, RelayMetrics metrics) {
        this.relay = relay;
        this.metrics = metrics;
        this.outboxes = new OutboxTables(relay.outboxTables());
        metrics.leading(() -> state == State.ACTIVE);
    }

    public State state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void start() {
        running = true;
        state = State.STARTING;
        supervisor.submit(this::supervise);
    }

    @Override
    public void stop() {
        running = false;
        closeEngine();
        supervisor.shutdown();
        try {
            supervisor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stands by until it leads, runs the engine until it fails or leadership is lost, and starts over. */
    private void supervise() {
        while (running) {
            try (LeaderLock lock = awaitLeadership()) {
                if (lock == null) {
                    return;
                }
                state = State.ACTIVE;
                log.info("Outbox relay is active: capturing {}", relay.outboxTables());
                runEngine(lock);
            } catch (Exception e) {
                lastError = e.getMessage();
                log.warn("Outbox relay stopped ({}); restarting", e.toString());
                if (slotLostOurPosition(e)) {
                    forgetOffsets();
                }
            }
            if (running) {
                state = State.RESTARTING;
                pause(RESTART_BACKOFF);
            }
        }
    }

    /**
     * The slot was dropped or invalidated and made anew: Debezium refuses to start from a stored
     * position older than the new slot's. Forgetting the offsets makes it stream from the slot's
     * start; the rows committed in between were never decoded and are published by
     * {@link OutboxRecovery} (decision 0018).
     */
    private static boolean slotLostOurPosition(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("no longer available on the server")) {
                return true;
            }
        }
        return false;
    }

    private void forgetOffsets() {
        try (Connection c = DriverManager.getConnection(relay.db().jdbcUrl(), relay.db().user(), relay.db().password());
                var delete = c.prepareStatement("DELETE FROM relay." + DebeziumSettings.OFFSETS_TABLE)) {
            delete.executeUpdate();
            log.warn("The replication slot no longer holds the relay's position: offsets forgotten, streaming from the "
                    + "slot's start; rows written in between are published by the outbox recovery");
        } catch (SQLException e) {
            log.warn("Could not forget the relay's offsets: {}", e.getMessage());
        }
    }

    private LeaderLock awaitLeadership() throws SQLException {
        while (running) {
            var lock = LeaderLock.tryAcquire(relay);
            if (lock.isPresent()) {
                return lock.get();
            }
            if (state != State.STANDBY) {
                log.info("Another outbox relay is active; standing by");
            }
            state = State.STANDBY;
            pause(relay.standbyRetry());
        }
        return null;
    }

    private void runEngine(LeaderLock lock) throws Exception {
        createTopics();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(relay, "erp-outbox-relay"));
                Connection rows = DriverManager.getConnection(rowsUrl(relay), relay.db().user(), relay.db().password())) {
            OutboxTables.ensureHeartbeatOutbox(rows, relay.publication());
            OutboxTables.publishInsertsOnly(rows, relay.publication());
            CompletableFuture<Throwable> finished = new CompletableFuture<>();
            // the routed records as they are, no converters: RoutedRecord makes each the Kafka record
            engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(DebeziumSettings.of(relay))
                    .notifying((records, committer) -> publish(producer, rows, records, committer))
                    .using((success, message, error) -> finished.complete(success ? null
                            : error != null ? error : new IllegalStateException(message)))
                    .build();
            ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay-engine"));
            runner.submit(engine);
            try {
                while (running && !finished.isDone()) {
                    if (!lock.stillHeld()) {
                        throw new IllegalStateException("Lost the leader lock");
                    }
                    try {
                        Throwable error = finished.get(1, TimeUnit.SECONDS);
                        if (error != null) {
                            throw new IllegalStateException("Debezium engine stopped: " + error.getMessage(), error);
                        }
                    } catch (java.util.concurrent.TimeoutException stillRunning) {
                        // poll again: check the lock once a second
                    }
                }
            } finally {
                closeEngine();
                runner.shutdown();
                runner.awaitTermination(30, TimeUnit.SECONDS);
                producer.close(Duration.ofSeconds(10));
            }
        }
    }

    private void publish(KafkaProducer<String, byte[]> producer, Connection rows, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
        Map<String, List<UUID>> published = new HashMap<>();
        for (RecordChangeEvent<SourceRecord> record : records) {
            ProducerRecord<String, byte[]> out = RoutedRecord.toKafka(record.record());
            if (out == null) {
                continue; // Debezium's heartbeats only move the slot forward
            }
            if (out.topic().equals(DebeziumSettings.HEARTBEAT_ROW_TOPIC)) {
                published.computeIfAbsent(DebeziumSettings.HEARTBEAT_OUTBOX, t -> new ArrayList<>()).add(ceId(out.headers()));
                continue; // the relay's own heartbeat row: it only moves the slot forward
            }
            sent.add(out);
            acks.add(producer.send(out));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            metrics.failed();
            // nothing of this batch is committed: the engine stops and the batch is delivered again
            throw new IllegalStateException("Kafka did not acknowledge the batch", e);
        }
        for (ProducerRecord<String, byte[]> out : sent) {
            metrics.published(out.topic(), headerInstant(out.headers().lastHeader("ce_time")));
            outboxes.tableOf(out.topic()).ifPresent(table -> published.computeIfAbsent(table, t -> new ArrayList<>())
                    .add(ceId(out.headers())));
        }
        try {
            // before the offsets: a crash in between publishes these rows again, never leaves them behind
            for (var table : published.entrySet()) {
                OutboxTables.delete(rows, table.getKey(), table.getValue());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not delete the published outbox rows", e);
        }
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    /**
     * The connection that deletes published rows, once per batch. Each delete is planned for its own
     * ids and the table as it is now: a plan cached while the outbox held three rows (a sequential
     * scan) stayed in use when a backlog of thousands arrived (decision 0036).
     */
    static String rowsUrl(RelayProperties relay) {
        return relay.db().jdbcUrl() + "?ApplicationName=outbox-relay-rows&" + DebeziumSettings.NO_FLUSH_WAIT
                + "%20-c%20plan_cache_mode%3Dforce_custom_plan";
    }

    /** Every topic of contracts/asyncapi.yaml, as declared there, before the first record is sent (decision 0020). */
    private void createTopics() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, relay.kafkaBootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "erp-outbox-relay-admin");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(p)) {
            KafkaTopics.ensure(admin, KafkaTopics.fromContract().all());
        }
    }

    static Properties producerConfig(RelayProperties relay, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, relay.kafkaBootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // no wait for a batch to fill: the relay sends each Debezium batch in one loop, so records queue up
        // behind the request in flight anyway, and an event of a quiet period goes out at once (commit → Kafka)
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024); // a drained backlog sends many small records per partition
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static UUID ceId(Headers headers) {
        return UUID.fromString(new String(headers.lastHeader("ce_id").value(), StandardCharsets.UTF_8));
    }

    private static Instant headerInstant(Header header) {
        try {
            return header == null ? null : Instant.parse(new String(header.value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void closeEngine() {
        var current = engine;
        engine = null;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                log.debug("Closing the engine: {}", e.toString());
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // back-off between attempts, not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
