package eu.erpdetachement.files.app;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.config.FilesProperties;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.ObjectStore;
import reactor.core.publisher.Mono;

/** Files registered but never completed within the pending window expire, and their objects are deleted. */
@Service
public class ExpiringPendingUploads {

    private static final Logger log = LoggerFactory.getLogger(ExpiringPendingUploads.class);

    private final FileStore files;
    private final ObjectStore objects;
    private final FilesProperties properties;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public ExpiringPendingUploads(FileStore files, ObjectStore objects, FilesProperties properties,
            TransactionalOperator transaction, Clock clock) {
        this.files = files;
        this.objects = objects;
        this.properties = properties;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${erp.files.expiry-sweep-interval:PT10M}", initialDelayString = "${erp.files.expiry-sweep-interval:PT10M}")
    public void sweep() {
        Long expired = expireDue().block();
        if (expired != null && expired > 0) {
            log.info("Expired {} pending uploads", expired);
        }
    }

    /** Expires one batch of overdue pending files; answers how many. */
    public Mono<Long> expireDue() {
        return files.pendingOlderThan(clock.instant().minus(properties.pendingTtl()), 500)
                .concatMap(file -> objects.delete(file.bucket(), file.objectKey()).onErrorComplete()
                        .then(files.markExpired(file.fileId())).thenReturn(1))
                .count()
                .as(transaction::transactional);
    }
}
