package eu.erpdetachement.files.events;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.files.domain.StoredFile;

/** Payload of {@code FileUploaded} (contracts/events/FileUploaded.schema.json): emitted only once the bytes are verified. */
public record FileUploaded(UUID fileId, UUID tenantId, String bucket, String objectKey, String filename, String mimeType,
        long sizeBytes, String sha256Hash, UUID uploadedBy, Instant uploadedAt) {

    public static final String TYPE = "FileUploaded";
    /** Routes to topic erp.files.file.v1. */
    public static final String AGGREGATE_TYPE = "files.file";

    public static FileUploaded of(StoredFile f, Instant uploadedAt) {
        return new FileUploaded(f.fileId(), f.tenantId(), f.bucket(), f.objectKey(), f.filename(), f.mimeType(),
                f.sizeBytes(), f.sha256Hash(), f.uploadedBy(), uploadedAt);
    }
}
