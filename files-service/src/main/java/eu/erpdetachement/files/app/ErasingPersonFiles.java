package eu.erpdetachement.files.app;

import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.files.events.FileAudit;
import eu.erpdetachement.platform.audit.AuditTrail;

import java.time.Duration;

import org.springframework.stereotype.Service;

import eu.erpdetachement.files.domain.FileErasurePolicy;
import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.ObjectKeys;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.FileStore.PersonFile;
import eu.erpdetachement.files.store.ObjectStore;
import eu.erpdetachement.platform.erasure.ErasedUsers;
import eu.erpdetachement.platform.erasure.ErasingUser;
import eu.erpdetachement.platform.erasure.UserErased;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * This service's part of an erasure ({@link FileErasurePolicy}): every file the person uploaded or
 * that is linked to their worker id is either renamed (name and key become the file's id, the
 * object is copied to its new key and the old one deleted) or deleted. Each step can be repeated:
 * a redelivered event finds renamed files already renamed and deleted files gone. Every object
 * store call is bounded.
 */
@Service
public class ErasingPersonFiles implements ErasingUser {

    private static final Duration OBJECT_TIMEOUT = Duration.ofSeconds(30);

    private final ErasedUsers erased;
    private final FileStore files;
    private final ObjectStore objects;
    private final AuditTrail audit;
    private final TransactionalOperator transaction;
    private final FileErasurePolicy policy = new FileErasurePolicy();

    public ErasingPersonFiles(ErasedUsers erased, FileStore files, ObjectStore objects, AuditTrail audit,
            TransactionalOperator transaction) {
        this.audit = audit;
        this.transaction = transaction;
        this.erased = erased;
        this.files = files;
        this.objects = objects;
    }

    @Override
    public Mono<Void> erase(UserErased event) {
        return erased.remember(event)
                // read whole before writing (one connection cannot stream and update at once)
                .then(files.ofPerson(event.tenantId(), event.userId(), event.workerId()).collectList())
                .flatMapMany(Flux::fromIterable)
                .concatMap(file -> switch (policy.decide(file.purposes())) {
                    case PSEUDONYMISE -> rename(file);
                    case DELETE -> delete(file);
                })
                .then();
    }

    private Mono<Void> rename(PersonFile person) {
        var file = person.file();
        String key = ObjectKeys.erasedKey(file.tenantId(), file.fileId());
        String name = FileErasurePolicy.pseudonymFilename(file.fileId());
        if (file.objectKey().equals(key) && file.filename().equals(name)) {
            return Mono.empty();
        }
        boolean stored = file.status() == FileStatus.UPLOADED && !file.objectKey().equals(key);
        Mono<Boolean> copied = stored ? objects.copy(file.bucket(), file.objectKey(), key).timeout(OBJECT_TIMEOUT) : Mono.just(false);
        return copied
                .flatMap(moved -> files.rename(file.tenantId(), file.fileId(), name, key)
                        .then(audit.record(FileAudit.erased(file, "pseudonymised")))
                        .as(transaction::transactional)
                        .then(moved ? objects.delete(file.bucket(), file.objectKey()).timeout(OBJECT_TIMEOUT) : Mono.empty()));
    }

    private Mono<Void> delete(PersonFile person) {
        var file = person.file();
        return files.deleteWithLinks(file.tenantId(), file.fileId())
                .then(audit.record(FileAudit.erased(file, "deleted")))
                .as(transaction::transactional)
                .then(file.status() == FileStatus.UPLOADED ? objects.delete(file.bucket(), file.objectKey()).timeout(OBJECT_TIMEOUT)
                        : Mono.empty());
    }
}
