package eu.erpdetachement.files.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.store.ObjectStore.PresignedUrl;
import jakarta.validation.constraints.NotNull;

/** Bodies of the /v1/files routes, field for field as in contracts/openapi.yaml. */
public final class FileDtos {

    private FileDtos() {
    }

    /** {@code FileUploadRequest}. In a multipart upload {@code sha256_hash} and {@code size_bytes} may be left out. */
    public record FileUploadRequest(String storageProvider, String bucket, String path, String filename,
            String mimeType, Long sizeBytes, String sha256Hash) {
    }

    /** {@code FileUploadResponse}; {@code status} and {@code upload} are extensions. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileUploadResponse(UUID fileId, UUID tenantId, Instant createdAt, String status, Upload upload) {
    }

    public record Upload(String url, String method, Map<String, String> headers, Instant expiresAt) {

        static Upload put(PresignedUrl url, String mimeType) {
            return new Upload(url.url(), "PUT", Map.of("Content-Type", mimeType), url.expiresAt());
        }
    }

    /** {@code FileLinkRequest}. */
    public record FileLinkRequest(@NotNull String entityType, @NotNull UUID entityId, @NotNull String purpose) {
    }

    /** {@code FileLinkResponse}. */
    public record FileLinkResponse(UUID fileLinkId, UUID fileId) {
    }

    /** A file's metadata (extension), with a download URL once uploaded. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileResponse(UUID fileId, UUID tenantId, String filename, String mimeType, long sizeBytes,
            String sha256Hash, String status, Instant createdAt, Instant uploadedAt, Download download) {

        static FileResponse of(StoredFile f, PresignedUrl download) {
            return new FileResponse(f.fileId(), f.tenantId(), f.filename(), f.mimeType(), f.sizeBytes(), f.sha256Hash(),
                    f.status().wireName(), f.createdAt(), f.uploadedAt(),
                    download == null ? null : new Download(download.url(), download.expiresAt()));
        }
    }

    public record Download(String url, Instant expiresAt) {
    }

    public record FileList(List<FileResponse> items, String nextCursor) {
    }
}
