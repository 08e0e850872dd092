package eu.erpdetachement.files.events;

import java.util.UUID;

import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.platform.audit.AuditRecord;

/** The audit records of actions on files (decision 0025). */
public final class FileAudit {

    private static final String TARGET = "file";

    private FileAudit() {
    }

    /** A file registered for a presigned upload: what was declared. */
    public static AuditRecord registered(StoredFile file, UUID actorId) {
        return declared(AuditRecord.of(file.tenantId(), actorId, "file.registered", TARGET, file.fileId()), file)
                .set("status", file.status().wireName()).build();
    }

    /** A registered file's bytes verified: it is uploaded (its size and SHA-256 are the declared ones). */
    public static AuditRecord uploaded(StoredFile file, UUID actorId) {
        return AuditRecord.of(file.tenantId(), actorId, "file.uploaded", TARGET, file.fileId())
                .change("status", FileStatus.PENDING_UPLOAD.wireName(), file.status().wireName()).build();
    }

    /** A direct upload: registered and verified at once, with what was measured. */
    public static AuditRecord uploadedDirectly(StoredFile file, UUID actorId) {
        return declared(AuditRecord.of(file.tenantId(), actorId, "file.uploaded", TARGET, file.fileId()), file)
                .set("status", file.status().wireName()).build();
    }

    public static AuditRecord linked(StoredFile file, UUID actorId, UUID linkId, String entityType, UUID entityId, String purpose) {
        return AuditRecord.of(file.tenantId(), actorId, "file.linked", TARGET, file.fileId())
                .set("file_link_id", linkId).set("entity_type", entityType).set("entity_id", entityId).set("purpose", purpose)
                .build();
    }

    /** The system expired an upload nobody completed in time. */
    public static AuditRecord expired(StoredFile file) {
        return AuditRecord.of(file.tenantId(), null, "file.expired", TARGET, file.fileId())
                .change("status", FileStatus.PENDING_UPLOAD.wireName(), FileStatus.EXPIRED.wireName()).build();
    }

    /**
     * A file that named an erased person was renamed or deleted ({@code outcome}: pseudonymised,
     * deleted). Nothing of the old name in it: the ledger pseudonymises the file's earlier records.
     */
    public static AuditRecord erased(StoredFile file, String outcome) {
        return AuditRecord.of(file.tenantId(), null, "file.erased", TARGET, file.fileId()).set("outcome", outcome).build();
    }

    private static AuditRecord.Builder declared(AuditRecord.Builder record, StoredFile file) {
        return record.set("filename", file.filename()).set("mime_type", file.mimeType()).set("bucket", file.bucket())
                .set("object_key", file.objectKey()).set("size_bytes", file.sizeBytes())
                .set("sha256_hash", file.sha256Hash());
    }
}
