package eu.erpdetachement.files.domain;

import java.util.Locale;
import java.util.Set;

/** Where a tenant's files go and what it may store there: its bucket, a size limit and mime types. */
public record TenantFileRules(String bucket, long maxSizeBytes, Set<String> allowedMimeTypes) {

    public static final long DEFAULT_MAX_SIZE_BYTES = 25L * 1024 * 1024;
    public static final Set<String> DEFAULT_MIME_TYPES = Set.of(
            "application/pdf",
            "image/jpeg",
            "image/png",
            "image/heic",
            "text/plain",
            "text/csv",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet");

    public static TenantFileRules defaults(String defaultBucket) {
        return new TenantFileRules(defaultBucket, DEFAULT_MAX_SIZE_BYTES, DEFAULT_MIME_TYPES);
    }

    public boolean allows(String mimeType) {
        return mimeType != null && allowedMimeTypes.contains(mimeType.toLowerCase(Locale.ROOT).strip());
    }

    public boolean fits(long sizeBytes) {
        return sizeBytes >= 0 && sizeBytes <= maxSizeBytes;
    }
}
