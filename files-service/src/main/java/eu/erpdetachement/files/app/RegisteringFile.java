package eu.erpdetachement.files.app;

import eu.erpdetachement.files.events.FileAudit;
import eu.erpdetachement.platform.audit.AuditTrail;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.api.FileDtos.FileUploadRequest;
import eu.erpdetachement.files.config.FilesProperties;
import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.platform.idempotency.Idempotency;
import eu.erpdetachement.platform.idempotency.StoredResponse;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;

/** A client declares a file; it gets a place under its tenant's prefix, pending the bytes. */
@Service
public class RegisteringFile {

    private final AuditTrail audit;
    private final FileStore files;
    private final TenantFileRulesSource limits;
    private final FilesProperties properties;
    private final Idempotency idempotency;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public RegisteringFile(AuditTrail audit, FileStore files, TenantFileRulesSource limits, FilesProperties properties, Idempotency idempotency,
            TransactionalOperator transaction, Clock clock) {
        this.audit = audit;
        this.files = files;
        this.limits = limits;
        this.properties = properties;
        this.idempotency = idempotency;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Registers the file and answers, through {@code respond}, what the client is told; a retry with
     * the same {@code Idempotency-Key} gets that answer again.
     */
    public Mono<StoredResponse> register(Caller caller, FileUploadRequest request, Optional<String> idempotencyKey,
            String fingerprint, java.util.function.Function<StoredFile, Mono<StoredResponse>> respond) {
        return limits.of(caller.tenantId())
                .map(tenantLimits -> FileRegistration.check(caller.tenantId(), tenantLimits,
                        request.storageProvider(), request.bucket(), request.path(), request.filename(),
                        request.mimeType(), request.sizeBytes(), request.sha256Hash(), true))
                .flatMap(checked -> idempotency.once(caller.tenantId(), caller.userId(), "createFile", idempotencyKey, fingerprint, () -> {
                    StoredFile file = new StoredFile(UUID.randomUUID(), caller.tenantId(), "s3", checked.bucket(),
                            checked.objectKey(), checked.filename(), checked.mimeType(), checked.sizeBytes(),
                            checked.sha256Hash(), FileStatus.PENDING_UPLOAD, caller.userId(), now(), null);
                    return files.insert(file).flatMap(inserted -> inserted
                            ? audit.record(FileAudit.registered(file, caller.userId())).then(respond.apply(file))
                            : Mono.error(ProblemException.conflict("A file is already registered at this path.",
                                    java.util.Map.of())));
                }).as(transaction::transactional));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
