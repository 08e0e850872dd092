package eu.erpdetachement.files.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.config.FilesProperties;
import eu.erpdetachement.files.events.FileAudit;
import eu.erpdetachement.platform.audit.AuditTrail;
import eu.erpdetachement.files.domain.ObjectKeys;
import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.ObjectStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Files registered but never completed within the pending window expire, and their uploaded bytes
 * are deleted. Each batch is claimed and expired by one statement, and audited (file.expired), in one
 * short transaction that commits at once; the objects are deleted afterwards, outside any transaction, so a slow store never holds a row lock
 * or a connection. Every wait is bounded.
 */
@Service
public class ExpiringPendingUploads {

    private static final Logger log = LoggerFactory.getLogger(ExpiringPendingUploads.class);

    static final int BATCH_SIZE = 500;
    private static final int PARALLEL_DELETES = 8;
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(30);
    /** A bound on one whole sweep; what it expired stays expired if it is cut, the next sweep goes on. */
    private static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(5);

    private final FileStore files;
    private final ObjectStore objects;
    private final FilesProperties properties;
    private final Clock clock;
    private final AuditTrail audit;
    private final TransactionalOperator transaction;

    public ExpiringPendingUploads(FileStore files, ObjectStore objects, FilesProperties properties, Clock clock,
            AuditTrail audit, TransactionalOperator transaction) {
        this.audit = audit;
        this.transaction = transaction;
        this.files = files;
        this.objects = objects;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${erp.files.expiry-sweep-interval:PT10M}", initialDelayString = "${erp.files.expiry-sweep-interval:PT10M}")
    public void sweep() {
        Long expired = expireDue().block(SWEEP_TIMEOUT);
        if (expired != null && expired > 0) {
            log.info("Expired {} pending uploads", expired);
        }
    }

    /** Expires every overdue pending file, batch after batch; answers how many. */
    public Mono<Long> expireDue() {
        Instant cutoff = clock.instant().minus(properties.pendingTtl());
        return expireBatch(cutoff)
                .expand(batch -> batch.size() == BATCH_SIZE ? expireBatch(cutoff) : Mono.empty())
                .map(List::size)
                .reduce(0L, Long::sum);
    }

    private Mono<List<StoredFile>> expireBatch(Instant cutoff) {
        // each expiry is audited in the batch's transaction (the rows are read to the end first: one connection)
        return files.expirePendingOlderThan(cutoff, BATCH_SIZE).collectList()
                .flatMap(expired -> Flux.fromIterable(expired).concatMap(file -> audit.record(FileAudit.expired(file)))
                        .then(Mono.just(expired)))
                .as(transaction::transactional)
                .timeout(STATEMENT_TIMEOUT)
                .flatMap(expired -> deleteUploads(expired).thenReturn(expired));
    }

    /** Only the upload keys: a file's own key is free again once it expired and may belong to a new file. */
    private Mono<Void> deleteUploads(List<StoredFile> expired) {
        return Flux.fromIterable(expired)
                .flatMap(file -> objects.delete(file.bucket(), ObjectKeys.uploadKey(file.tenantId(), file.fileId()))
                        .timeout(DELETE_TIMEOUT)
                        .doOnError(e -> log.debug("Could not delete the upload of expired file {}: {}", file.fileId(), e.toString()))
                        .onErrorComplete(), PARALLEL_DELETES)
                .then();
    }
}
