package eu.erpdetachement.files.app;

import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.events.FileAudit;
import eu.erpdetachement.platform.audit.AuditTrail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.LinkTargets;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.platform.problem.FieldError;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.rbac.RouteAccess;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;

/** Attaches an uploaded file to a worker, mission, client or company, for a purpose. Linking twice is a no-op. */
@Service
public class LinkingFile {

    private final FileStore files;
    private final AuditTrail audit;
    private final TransactionalOperator transaction;

    public LinkingFile(FileStore files, AuditTrail audit, TransactionalOperator transaction) {
        this.files = files;
        this.audit = audit;
        this.transaction = transaction;
    }

    public Mono<FileStore.LinkOutcome> link(Caller caller, RouteAccess access, UUID fileId, String entityType,
            UUID entityId, String purpose) {
        List<FieldError> errors = new ArrayList<>();
        if (!LinkTargets.ENTITY_TYPES.contains(entityType)) {
            errors.add(new FieldError("entity_type", "must be one of " + String.join(", ", LinkTargets.ENTITY_TYPES)));
        }
        if (!LinkTargets.PURPOSES.contains(purpose)) {
            errors.add(new FieldError("purpose", "must be one of " + String.join(", ", LinkTargets.PURPOSES)));
        }
        if (!errors.isEmpty()) {
            return Mono.error(ProblemException.validation(errors));
        }
        return files.find(caller.tenantId(), fileId)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("File")))
                .doOnNext(file -> access.requireOwnFileOrAllowed(caller, file.uploadedBy()))
                .flatMap(file -> file.status() != FileStatus.UPLOADED
                        ? Mono.error(ProblemException.conflict("Only an uploaded file can be linked.",
                                Map.of("file_status", file.status().wireName())))
                        : files.link(caller.tenantId(), fileId, entityType, entityId, purpose, caller.userId())
                                // linking again changes nothing and records nothing
                                .flatMap(outcome -> !outcome.created() ? Mono.just(outcome)
                                        : audit.record(FileAudit.linked(file, caller.userId(), outcome.link().fileLinkId(),
                                                entityType, entityId, purpose)).thenReturn(outcome)))
                .as(transaction::transactional);
    }
}
