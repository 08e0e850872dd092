package eu.erpdetachement.files.app;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.ObjectStore;
import eu.erpdetachement.platform.erasure.RetainedRecords;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The files labour law requires about erased workers, kept pseudonymised until the tenant's
 * retention, counted from the file's registration, ended. A batch's rows are deleted by one
 * statement that commits at once; their objects afterwards, outside any transaction (as
 * {@link ExpiringPendingUploads} does), so a slow store never holds a lock.
 */
@Service
public class RetainedFiles implements RetainedRecords {

    private static final Logger log = LoggerFactory.getLogger(RetainedFiles.class);
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(30);

    private final FileStore files;
    private final ObjectStore objects;

    public RetainedFiles(FileStore files, ObjectStore objects) {
        this.files = files;
        this.objects = objects;
    }

    @Override
    public String name() {
        return "files";
    }

    @Override
    public Mono<Long> deleteBatch(UUID tenantId, Instant cutoff, int batchSize) {
        return files.deleteRetainedOlderThan(tenantId, cutoff, batchSize).collectList()
                .flatMap(deleted -> deleteObjects(deleted).thenReturn((long) deleted.size()));
    }

    private Mono<Void> deleteObjects(List<StoredFile> deleted) {
        return Flux.fromIterable(deleted)
                .filter(file -> file.status() == FileStatus.UPLOADED)
                .concatMap(file -> objects.delete(file.bucket(), file.objectKey())
                        .timeout(DELETE_TIMEOUT)
                        .doOnError(e -> log.warn("Could not delete the object of retained file {}: {}", file.fileId(), e.toString()))
                        .onErrorComplete())
                .then();
    }
}
