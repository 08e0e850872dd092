package eu.erpdetachement.files.domain;

import java.time.Instant;
import java.util.UUID;

/** A registered file: what was declared, where it is stored, and whether its bytes were verified. */
public record StoredFile(UUID fileId, UUID tenantId, String storageProvider, String bucket, String objectKey,
        String filename, String mimeType, long sizeBytes, String sha256Hash, FileStatus status, UUID uploadedBy,
        Instant createdAt, Instant uploadedAt) {
}
