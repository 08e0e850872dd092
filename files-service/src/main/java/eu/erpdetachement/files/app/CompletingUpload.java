package eu.erpdetachement.files.app;

import eu.erpdetachement.files.events.FileAudit;
import eu.erpdetachement.platform.audit.AuditTrail;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.config.FilesProperties;
import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.ObjectKeys;
import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.events.FileUploaded;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.ObjectStore;
import eu.erpdetachement.platform.outbox.OutboxEvent;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.FieldError;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.rbac.RouteAccess;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;

/**
 * After a presigned upload, the service copies the uploaded object from its upload key to the
 * file's key (which no upload URL can write), reads that copy back and checks its size and SHA-256
 * against what was declared. Only then is the file uploaded and FileUploaded emitted, and the
 * download serves exactly the verified bytes: a later PUT to the upload URL only reaches the upload
 * key. A mismatch deletes both objects and leaves the file pending, so the client can upload again.
 */
@Service
public class CompletingUpload {

    private final AuditTrail audit;
    private final FileStore files;
    private final ObjectStore objects;
    private final OutboxWriter outbox;
    private final TransactionalOperator transaction;
    private final Clock clock;
    private final java.time.Duration completeTimeout;

    public CompletingUpload(AuditTrail audit, FileStore files, ObjectStore objects, OutboxWriter outbox, TransactionalOperator transaction,
            Clock clock, FilesProperties properties) {
        this.audit = audit;
        this.completeTimeout = properties.completeTimeout();
        this.files = files;
        this.objects = objects;
        this.outbox = outbox;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Verifies under the file's row lock (a copy made after another completion committed could
     * otherwise replace verified bytes), in a transaction bounded by the complete timeout: the store's
     * calls are bounded shorter, PostgreSQL ends the transaction if it is left idle, a second
     * completion waits no longer for the lock, and the client gets a 503 with nothing written.
     */
    public Mono<StoredFile> complete(Caller caller, RouteAccess access, UUID fileId) {
        return files.boundTransaction(completeTimeout)
                .then(files.findForUpdate(caller.tenantId(), fileId))
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("File")))
                .doOnNext(file -> access.requireOwnFileOrAllowed(caller, file.uploadedBy()))
                .flatMap(file -> switch (file.status()) {
                    case UPLOADED -> Mono.just(file); // completing twice answers the same
                    case EXPIRED -> Mono.error(ProblemException.conflict("The upload window of this file has expired.",
                            Map.of("file_status", FileStatus.EXPIRED.wireName())));
                    case PENDING_UPLOAD -> verify(file, caller);
                })
                .as(transaction::transactional)
                .timeout(completeTimeout)
                .onErrorMap(e -> e instanceof java.util.concurrent.TimeoutException || FileStore.timedOut(e),
                        e -> new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                                "The file store did not verify the upload in time; nothing was changed. Try again later."))
                // once committed the upload key is not needed; if it lingers, the download is unaffected
                .flatMap(file -> objects.delete(file.bucket(), ObjectKeys.uploadKey(file.tenantId(), file.fileId()))
                        .onErrorComplete().thenReturn(file));
    }

    private Mono<StoredFile> verify(StoredFile file, Caller caller) {
        String uploadKey = ObjectKeys.uploadKey(file.tenantId(), file.fileId());
        // verify the copy, not the upload: the upload key stays writable until its URL expires
        return objects.copy(file.bucket(), uploadKey, file.objectKey())
                .flatMap(copied -> copied ? objects.measure(file.bucket(), file.objectKey()) : Mono.empty())
                .switchIfEmpty(Mono.error(() -> ProblemException.conflict("Nothing has been uploaded for this file yet.",
                        Map.of("file_status", FileStatus.PENDING_UPLOAD.wireName()))))
                .flatMap(measured -> {
                    List<FieldError> mismatches = new ArrayList<>();
                    if (measured.sizeBytes() != file.sizeBytes()) {
                        mismatches.add(new FieldError("size_bytes", "declared " + file.sizeBytes() + ", stored " + measured.sizeBytes()));
                    }
                    if (!measured.sha256().equals(file.sha256Hash())) {
                        mismatches.add(new FieldError("sha256_hash", "the stored bytes have another SHA-256"));
                    }
                    if (!mismatches.isEmpty()) {
                        return objects.delete(file.bucket(), file.objectKey())
                                .then(objects.delete(file.bucket(), uploadKey))
                                .then(Mono.error(new ProblemException(
                                ProblemType.VALIDATION_FAILED, "The uploaded bytes do not match the declared file; they were deleted.",
                                mismatches, Map.of())));
                    }
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                    StoredFile uploaded = new StoredFile(file.fileId(), file.tenantId(), file.storageProvider(),
                            file.bucket(), file.objectKey(), file.filename(), file.mimeType(), file.sizeBytes(),
                            file.sha256Hash(), FileStatus.UPLOADED, file.uploadedBy(), file.createdAt(), now);
                    return files.markUploaded(file.tenantId(), file.fileId(), now)
                            .then(outbox.append(uploadedEvent(uploaded, now)))
                            .then(audit.record(FileAudit.uploaded(uploaded, caller.userId())))
                            .thenReturn(uploaded);
                });
    }

    static OutboxEvent uploadedEvent(StoredFile file, Instant at) {
        return OutboxEvent.of(FileUploaded.AGGREGATE_TYPE, file.fileId().toString(), FileUploaded.TYPE, file.tenantId(),
                FileUploaded.of(file, at), at);
    }
}
