package eu.erpdetachement.outboxrelay.engine;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the slot streams. The reading thread sends each outbox insert to the producer as
 * soon as it is decoded, and hands the rows over in batches to a completing thread, which waits for
 * Kafka's acknowledgements, deletes the rows and only then confirms the batch's last transaction end
 * to the slot (PgJDBC takes a confirmed position from any thread and sends it with its next status).
 * A batch is handed over at a transaction's end when the completer is idle (a quiet period: each
 * event goes at once), else when it is full or the stream has nothing more at hand (a burst: batches
 * grow while the completer waits). A failure confirms nothing more and ends the stream: the
 * slot sends the unconfirmed transactions again (at least once; consumers dedupe on {@code ce_id}).
 */
final class OutboxPublisher {

    private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /** Batches handed over and not yet completed, at most: the reader waits beyond (back-pressure). */
    private static final int IN_FLIGHT = 4;
    private static final long NOTHING = -1;
    /** How often a completer waiting for a transaction's visibility asks again. */
    private static final Duration VISIBILITY_POLL = Duration.ofMillis(5);

    private final SlotStream stream;
    private final KafkaProducer<String, byte[]> producer;
    private final Connection rows;
    private final RelayMetrics metrics;
    private final Set<String> published;
    private final int maxBatchSize;
    /** Outbox tables by relation id, as their relation messages described them in this session. */
    private final Map<Integer, CapturedRow.Columns> outboxes = new HashMap<>();
    private final BlockingQueue<Batch> handedOver = new ArrayBlockingQueue<>(IN_FLIGHT);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private Batch batch = new Batch();
    /** The commit time of the transaction being read (pgoutput's begin message carries it). */
    private Instant committedAt;
    /** The id of the transaction being read, as pgoutput's begin message carries it (unsigned). */
    private long xid;

    /**
     * @param published the outboxes whose rows go to Kafka; rows of the relay's heartbeat outbox are
     *                  only deleted, rows of any other table in the publication are skipped
     */
    OutboxPublisher(SlotStream stream, KafkaProducer<String, byte[]> producer, Connection rows, RelayMetrics metrics,
            Set<String> published, int maxBatchSize) {
        this.stream = stream;
        this.producer = producer;
        this.rows = rows;
        this.metrics = metrics;
        this.published = published;
        this.maxBatchSize = maxBatchSize;
    }

    /** Runs until the stream fails or is aborted (leadership lost, the relay stopping). */
    void run() throws SQLException, InterruptedException {
        Thread completer = Thread.ofPlatform().name("outbox-relay-completer").start(this::complete);
        try {
            read();
        } finally {
            completer.interrupt();
            completer.join(ACK_TIMEOUT.toMillis());
        }
    }

    private void read() throws SQLException, InterruptedException {
        try {
            while (true) {
                throwIfFailed();
                // nothing waiting: wait for the next change; else take what has arrived, and hand over when nothing has
                ByteBuffer message = batch.isEmpty() ? stream.next() : stream.nextIfArrived();
                if (message == null) {
                    if (batch.isEmpty()) {
                        throw new IllegalStateException("The replication stream ended");
                    }
                    tryHandOver(); // nothing more at hand: go, unless the completer is four batches behind
                    continue;
                }
                switch (PgOutput.decode(message)) {
                    case PgOutput.Begin begin -> {
                        committedAt = begin.commitTime();
                        xid = Integer.toUnsignedLong(begin.xid());
                        metrics.decoding(committedAt);
                    }
                    case PgOutput.Relation relation -> describe(relation);
                    case PgOutput.Insert insert -> capture(insert);
                    case PgOutput.Commit commit -> {
                        batch.confirmable = commit.endLsn();
                        if (inFlight.get() == 0) {
                            handOver(); // nothing to wait behind: this transaction goes at once
                        }
                    }
                    default -> { }
                }
                if (batch.rows >= maxBatchSize) {
                    handOver(); // full: wait for room (back-pressure)
                }
            }
        } catch (SQLException | RuntimeException e) {
            throwIfFailed(); // the completer's failure, which ended the stream, says more
            throw e;
        }
    }

    private void describe(PgOutput.Relation relation) {
        String table = relation.qualifiedName();
        if (published.contains(table) || table.equals(OutboxTables.HEARTBEAT_OUTBOX)) {
            outboxes.put(relation.id(), CapturedRow.Columns.of(relation));
        } else {
            outboxes.remove(relation.id());
        }
    }

    private void capture(PgOutput.Insert insert) {
        CapturedRow.Columns columns = outboxes.get(insert.relationId());
        if (columns == null) {
            return; // a table of the publication that this relay does not serve
        }
        CapturedRow row = CapturedRow.of(columns, insert, committedAt);
        if (!row.table().equals(OutboxTables.HEARTBEAT_OUTBOX)) {
            String topic = row.record().topic();
            Instant committed = row.committedAt();
            // counted and timed at the acknowledgement itself, not when the batch completes behind others
            batch.acks.add(producer.send(row.record(), (metadata, error) -> {
                if (error == null) {
                    metrics.published(topic, committed);
                }
            }));
        }
        batch.ids.computeIfAbsent(row.table(), t -> new ArrayList<>()).add(row.id());
        batch.rows++;
        if (batch.xids.isEmpty() || batch.xids.getLast() != xid) {
            batch.xids.add(xid); // a transaction's rows arrive together
        }
    }

    private void handOver() throws InterruptedException {
        inFlight.incrementAndGet();
        while (!handedOver.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            throwIfFailed(); // a failed completer takes no more
            if (stream.aborted()) {
                throw new IllegalStateException("The stream was aborted");
            }
        }
        batch = new Batch();
    }

    /** Hands the batch over if the completer has room; else it keeps growing (and rows keep going to Kafka). */
    private void tryHandOver() {
        inFlight.incrementAndGet();
        if (handedOver.offer(batch)) {
            batch = new Batch();
        } else {
            inFlight.decrementAndGet();
        }
    }

    private void throwIfFailed() {
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }

    /** The completing thread: batches in the order they were handed over, until one fails. */
    private void complete() {
        try {
            while (true) {
                Batch next = handedOver.take();
                completeBatch(next);
                if (next.confirmable != NOTHING) {
                    stream.confirm(next.confirmable);
                }
                inFlight.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the stream ended
        } catch (RuntimeException | Error e) {
            failure.set(e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e));
            stream.abort(); // the reader may be waiting for a change: end its wait
        }
    }

    private void completeBatch(Batch done) throws InterruptedException {
        try {
            for (Future<RecordMetadata> ack : done.acks) {
                ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            metrics.failed();
            // nothing of this batch or after it is confirmed: the stream ends and the slot sends it again
            throw new IllegalStateException("Kafka did not acknowledge the batch", e);
        }
        try {
            // before the position is confirmed: a crash in between publishes these rows again, never
            // leaves them behind (what OutboxRecovery relies on, decision 0018)
            for (var table : done.ids.entrySet()) {
                if (OutboxTables.delete(rows, table.getKey(), table.getValue()) < table.getValue().size()) {
                    // some rows were not visible yet (their commit was decoded before its backend made it
                    // visible); once every transaction of the batch is, the delete gets them. Rows still
                    // not found were deleted before: transactions the slot sent again after a restart.
                    awaitVisible(done.xids);
                    OutboxTables.delete(rows, table.getKey(), table.getValue());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not delete the published outbox rows", e);
        }
    }

    /**
     * Waits until no transaction of {@code xids} is in progress for a new snapshot, at most
     * {@link #ACK_TIMEOUT}. Past it (a synchronous standby that does not answer holds the commits),
     * the batch completes without those rows: failing it would publish the batch again every
     * {@link #ACK_TIMEOUT} while the standby stays away; the rows are left for the recovery, which
     * publishes them once more (decision 0042).
     */
    private void awaitVisible(List<Long> xids) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        long inProgress;
        while ((inProgress = OutboxTables.inProgress(rows, xids)) > 0) {
            if (System.nanoTime() > deadline) {
                log.warn("{} transactions published {} s ago are still not visible (a synchronous standby not answering?): "
                        + "their rows stay in the outbox, and the recovery will publish them again", inProgress,
                        ACK_TIMEOUT.toSeconds());
                return;
            }
            Thread.sleep(VISIBILITY_POLL.toMillis()); // a commit already flushed: visible within moments, or a standby's answer
        }
    }

    /** What was sent since the last hand-over, and the last transaction end it completes. */
    private static final class Batch {

        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        final Map<String, List<UUID>> ids = new HashMap<>();
        /** The transactions whose rows these are (unsigned 32-bit ids), in stream order. */
        final List<Long> xids = new ArrayList<>();
        int rows;
        long confirmable = NOTHING;

        boolean isEmpty() {
            return rows == 0 && confirmable == NOTHING;
        }
    }
}
