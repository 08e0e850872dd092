package eu.erpdetachement.files.app;

import eu.erpdetachement.files.events.FileAudit;
import eu.erpdetachement.platform.audit.AuditTrail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.api.FileDtos.FileUploadRequest;
import eu.erpdetachement.files.config.FilesProperties;
import eu.erpdetachement.files.domain.TenantFileRules;
import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.ObjectStore;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.FieldError;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A client sends metadata and bytes in one multipart request. The key is reserved first (so no
 * existing object can be overwritten), the bytes stream to the store while being hashed, and the
 * file becomes uploaded with its FileUploaded event in one transaction. On any failure, and when
 * the client goes away mid-upload, the object is deleted and the reservation withdrawn.
 */
@Service
public class UploadingDirectly {

    private static final Logger log = LoggerFactory.getLogger(UploadingDirectly.class);
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(30);

    private final AuditTrail audit;
    private final FileStore files;
    private final ObjectStore objects;
    private final OutboxWriter outbox;
    private final TenantFileRulesSource limits;
    private final FilesProperties properties;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public UploadingDirectly(AuditTrail audit, FileStore files, ObjectStore objects, OutboxWriter outbox, TenantFileRulesSource limits,
            FilesProperties properties, TransactionalOperator transaction, Clock clock) {
        this.audit = audit;
        this.files = files;
        this.objects = objects;
        this.outbox = outbox;
        this.limits = limits;
        this.properties = properties;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<StoredFile> upload(Caller caller, FileUploadRequest metadata, Flux<DataBuffer> content) {
        return limits.of(caller.tenantId()).flatMap(tenantLimits -> {
            FileRegistration.Checked checked = FileRegistration.check(caller.tenantId(), tenantLimits,
                    metadata.storageProvider(), metadata.bucket(), metadata.path(), metadata.filename(),
                    metadata.mimeType(), metadata.sizeBytes(), metadata.sha256Hash(), false);
            long cap = checked.sizeBytes() != null ? checked.sizeBytes() : tenantLimits.maxSizeBytes();
            StoredFile reserved = new StoredFile(UUID.randomUUID(), caller.tenantId(), "s3", checked.bucket(),
                    checked.objectKey(), checked.filename(), checked.mimeType(), 0, "0".repeat(64),
                    FileStatus.PENDING_UPLOAD, caller.userId(), now(), null);
            return files.insert(reserved)
                    .flatMap(inserted -> inserted ? Mono.just(reserved)
                            : Mono.error(ProblemException.conflict("A file is already registered at this path.", Map.of())))
                    .flatMap(file -> store(file, checked, content, cap)
                            .onErrorMap(ObjectStore.TooLarge.class, e -> tooLarge(tenantLimits, cap))
                            .onErrorMap(ObjectStore.SizeMismatch.class, e -> sizeMismatch(checked.sizeBytes(), e.received()))
                            .flatMap(measured -> accept(file, checked, measured, caller))
                            .onErrorResume(e -> release(file).then(Mono.error(e)))
                            // a client gone mid-upload cancels rather than fails: release the path all the same
                            .doOnCancel(() -> release(file).timeout(RELEASE_TIMEOUT)
                                    .subscribe(null, e -> log.warn("Could not release the path of cancelled upload {}: {}",
                                            file.fileId(), e.toString()))));
        });
    }

    /**
     * A declared size lets the bytes stream straight into one PUT of that length; without one the
     * store takes them in parts of bounded size, as their length is only known at the end.
     */
    private Mono<ObjectStore.Measured> store(StoredFile file, FileRegistration.Checked checked, Flux<DataBuffer> content, long cap) {
        return checked.sizeBytes() != null
                ? objects.put(file.bucket(), file.objectKey(), file.mimeType(), content, checked.sizeBytes())
                : objects.upload(file.bucket(), file.objectKey(), file.mimeType(), content, cap);
    }

    /**
     * Withdraws a reservation that is still pending: the object first, then the row, under the row's
     * lock, so that once the path is free nothing of this upload remains under it, and an upload
     * that was accepted meanwhile is left alone.
     */
    private Mono<Void> release(StoredFile reserved) {
        // the store's delete is bounded by its read timeout, shorter than this transaction's bound
        return files.boundTransaction(properties.completeTimeout())
                .then(files.findForUpdate(reserved.tenantId(), reserved.fileId()))
                .filter(file -> file.status() == FileStatus.PENDING_UPLOAD)
                .flatMap(file -> objects.delete(file.bucket(), file.objectKey()).timeout(RELEASE_TIMEOUT).onErrorComplete()
                        .then(files.markExpired(file.fileId())))
                .as(transaction::transactional);
    }

    private Mono<StoredFile> accept(StoredFile reserved, FileRegistration.Checked declared, ObjectStore.Measured measured,
            Caller caller) {
        if (declared.sha256Hash() != null && !declared.sha256Hash().equals(measured.sha256())) {
            return Mono.error(new ProblemException(ProblemType.VALIDATION_FAILED,
                    "The uploaded bytes do not match the declared SHA-256; they were deleted.",
                    List.of(new FieldError("sha256_hash", "the uploaded bytes have another SHA-256")), Map.of()));
        }
        if (declared.sizeBytes() != null && declared.sizeBytes() != measured.sizeBytes()) {
            return Mono.error(sizeMismatch(declared.sizeBytes(), measured.sizeBytes()));
        }
        Instant now = now();
        StoredFile uploaded = new StoredFile(reserved.fileId(), reserved.tenantId(), reserved.storageProvider(),
                reserved.bucket(), reserved.objectKey(), reserved.filename(), reserved.mimeType(), measured.sizeBytes(),
                measured.sha256(), FileStatus.UPLOADED, reserved.uploadedBy(), reserved.createdAt(), now);
        return files.recordUpload(uploaded)
                .flatMap(recorded -> recorded ? outbox.append(CompletingUpload.uploadedEvent(uploaded, now))
                                .then(audit.record(FileAudit.uploadedDirectly(uploaded, caller.userId())))
                        : Mono.error(ProblemException.conflict("The upload was withdrawn before it completed.", Map.of())))
                .thenReturn(uploaded)
                .as(transaction::transactional);
    }

    private static ProblemException sizeMismatch(long declared, long received) {
        return ProblemException.validation("size_bytes", "declared " + declared + ", received " + received);
    }

    private static ProblemException tooLarge(TenantFileRules limits, long cap) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                "The file is larger than " + Math.min(cap, limits.maxSizeBytes()) + " bytes.", List.of(), Map.of());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
