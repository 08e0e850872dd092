package eu.erpdetachement.platform.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes idempotency keys older than the retention, in batches so that no statement holds many
 * locks or runs long. Runs every {@code purgeInterval} while the service runs; a retry after the
 * retention is treated as a new request.
 */
public class IdempotencyPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyPurge.class);

    private final DatabaseClient db;
    private final Clock clock;
    private final IdempotencyProperties properties;
    private volatile Disposable running;

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
    public void start() {
        Duration interval = properties.purgeInterval();
        running = Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> purgeExpired()
                        .timeout(interval)
                        .doOnNext(n -> {
                            if (n > 0) {
                                log.info("Purged {} idempotency keys older than {}", n, properties.retention());
                            }
                        })
                        .onErrorResume(e -> {
                            log.warn("Idempotency key purge failed: {}", e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
