package eu.erpdetachement.platform.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;

import eu.erpdetachement.platform.scheduling.PeriodicSweep;
import reactor.core.publisher.Mono;

/**
 * Deletes idempotency keys older than the retention, in batches so that no statement holds many
 * locks or runs long. Runs every {@code purgeInterval} while the service runs; a retry after the
 * retention is treated as a new request.
 */
public class IdempotencyPurge extends PeriodicSweep {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyPurge.class);

    private final DatabaseClient db;
    private final Clock clock;
    private final IdempotencyProperties properties;

    public IdempotencyPurge(DatabaseClient db, Clock clock, IdempotencyProperties properties) {
        this.db = db;
        this.clock = clock;
        this.properties = properties;
    }

    /** Deletes every key older than the retention, batch after batch; answers how many. */
    public Mono<Long> purgeExpired() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int batch = properties.purgeBatchSize();
        return deleteBatch(cutoff, batch)
                .expand(deleted -> deleted == batch ? deleteBatch(cutoff, batch) : Mono.empty())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> deleteBatch(Instant cutoff, int batch) {
        return db.sql("""
                DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
                    SELECT ctid FROM idempotency_keys WHERE created_at < :cutoff LIMIT :batch FOR UPDATE SKIP LOCKED))""")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC)).bind("batch", batch)
                .fetch().rowsUpdated();
    }

    @Override
    protected Mono<Long> runOnce() {
        return purgeExpired();
    }

    @Override
    protected Duration interval() {
        return properties.purgeInterval();
    }

    @Override
    protected void report(long count) {
        log.info("Purged {} idempotency keys older than {}", count, properties.retention());
    }

    @Override
    protected String name() {
        return "Idempotency key purge";
    }
}
